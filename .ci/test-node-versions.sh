#!/usr/bin/env bash
# Runs `npm test`, the README's test command, on the machine's node and then on each release in
# .ci/node-versions (installed by .ci/install-node.sh), whatever the earlier runs gave. The first
# run builds; the others reuse that build. Ends with a line per version and a total.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
results=() failures=()
exit_code=0 all_pass=0 all_fail=0 all_skip=0

# The last value the runner printed for a summary field (TAP "# pass 3" or spec "ℹ pass 3").
field() { grep -aoE "^(# |ℹ )$1 [0-9]+" "$2" | tail -1 | grep -oE '[0-9]+$' || echo 0; }

run_on() { # run_on LABEL BINDIR [npm args...]
  local label=$1 bindir=$2 log="$logs/$1.log" started=$SECONDS status=0
  shift 2
  echo "=== npm test on Node $label"
  PATH="${bindir:+$bindir:}$PATH" npm test "$@" 2>&1 | tee "$log" || status=$?
  local pass fail skip
  pass=$(field pass "$log")
  fail=$(( $(field fail "$log") + $(field cancelled "$log") ))
  skip=$(field skipped "$log")
  # A run that failed without counting a failed test (a crash, a build error) still counts as one.
  if [ "$status" -ne 0 ]; then exit_code=1; [ "$fail" -gt 0 ] || fail=1; fi
  all_pass=$((all_pass + pass)) all_fail=$((all_fail + fail)) all_skip=$((all_skip + skip))
  results+=("Node $label: $pass passed, $fail failed, $skip skipped in $((SECONDS - started)) s")
  # The names of failed tests, repeated at the end so that the tail of a long log says which
  # (TAP "not ok N - name", spec "✖ name"; a failed suite is listed with its failed test).
  if [ "$fail" -gt 0 ]; then
    while IFS= read -r line; do failures+=("Node $label: $line"); done < <(
      grep -aE '^[[:space:]]*(not ok [0-9]+ - |✖ )' "$log" | grep -avE 'failing tests:|# (TODO|SKIP)' | sed -E 's/^[[:space:]]+//' | awk '!seen[$0]++' | head -20)
  fi
}

run_on "$(node --version | tr -d v)" ""
while read -r version; do
  case "$version" in ''|'#'*) continue ;; esac
  if bindir=$(.ci/install-node.sh "$version"); then
    run_on "$version" "$bindir" --ignore-scripts
  else
    exit_code=1 all_fail=$((all_fail + 1))
    results+=("Node $version: not installed")
  fi
done < .ci/node-versions

echo "=== test runs by Node version"
printf '%s\n' "${results[@]}"
echo "total: $all_pass passed, $all_fail failed, $all_skip skipped"
if [ ${#failures[@]} -gt 0 ]; then
  echo "=== failed tests"
  printf '%s\n' "${failures[@]}"
fi
exit "$exit_code"
