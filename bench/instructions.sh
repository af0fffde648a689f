#!/bin/sh
# Instructions per handle() call for one scenario, counted by valgrind's callgrind: steady under
# a loaded machine, where timings are not. Counts exactly N calls per round, several rounds in one
# process after its warm-up (bench/microInstructions.ts), and prints the median and the spread.
#   bench/instructions.sh "100 path stubs, 100th" [N] [more options]    (after npm run build)
set -e
scenario="$1"
n="${2:-20000}"
[ $# -ge 2 ] && shift 2 || shift $#
dir="$(cd "$(dirname "$0")/.." && pwd)"
exec node "$dir/dist/bench/microInstructions.js" --only "$scenario" --calls "$n" "$@"
