#!/bin/sh
# Instructions per handle() call for one scenario, counted by valgrind's callgrind: steady under
# a loaded machine, where timings are not. Runs the microbenchmark twice (N and 2N calls after
# the same warm-up) and divides the difference, so start-up and JIT warm-up cancel out.
# node runs --single-threaded: V8's background compiler and GC threads otherwise do a varying
# amount of work (callgrind counts every thread), which moved the difference by thousands of
# instructions per call from run to run at N=20000, even below zero. N is large for the same
# reason: what start-up still varies by (about a million instructions) is spread over N calls.
#   bench/instructions.sh "100 path stubs, 100th" [N]    (after npm run build)
set -e
scenario="$1"
n="${2:-200000}"
dir="$(cd "$(dirname "$0")/.." && pwd)"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded "$dir/dist/bench/handleMicro.js" \
    --only "$scenario" --calls "$1" --rounds 1 --warmup 20000 2>&1 >/dev/null | sed -n 's/.*Collected : *//p'
}
a=$(count "$n")
b=$(count $((n * 2)))
echo "$scenario: $(( (b - a) / n )) instructions per call"
