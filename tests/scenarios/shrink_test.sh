#!/usr/bin/env bash
# compactsim shrink: a failing scenario with noise (three unrelated faults,
# a second table, half an hour after the failure, a range) shrinks to a
# plain scenario that fails the same check; a passing one has nothing to
# shrink.
# Usage: shrink_test.sh COMPACTSIM_EXE SOURCE_ROOT
set -uo pipefail
exe=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
"$exe" shrink "$root/tests/scenarios/shrinkable.json" --out "$work/min.json" > "$work/out.txt" 2>&1
rc=$?
cat "$work/out.txt"
min="$work/min.json"
check "shrink exits 0 and names the check it keeps" \
  '[ $rc -eq 0 ] && grep -q "^fails assertion: doris.max_cumulative_score at 0h45m00.000s; shrinking" "$work/out.txt"'
check "each reduction tried is printed" '[ "$(grep -Ec "^  (smaller|needed): " "$work/out.txt")" -ge 10 ]'
check "the minimal scenario is valid" '"$exe" validate "$min" > /dev/null'
"$exe" run "$min" --quiet > "$work/run.txt" 2>&1
rc2=$?
check "it fails with exit 1, on the same check" \
  '[ $rc2 -eq 1 ] && grep -q "FAIL  assertion .*doris.max_cumulative_score{\"be\":1,\"table\":10200}" "$work/run.txt"'
check "the unrelated faults are gone" '! grep -Eq "\"(delay|pause|clock_skew)\"" "$min"'
check "the seed choices are fixed: no range is left" '! grep -q "\"range\"" "$min"'
check "the run ends soon after the failure" 'grep -q "\"duration\": \"46m\"" "$min"'
check "at most 2 steps are left of 5" '[ "$(grep -c "\"at\":" "$min")" -le 2 ]'
"$exe" run "$min" --quiet --report "$work/a.json" > /dev/null 2>&1
"$exe" run "$min" --quiet --report "$work/b.json" > /dev/null 2>&1
check "the minimal scenario fails the same way every time" \
  '[ "$(grep -o "\"trace_digest\":\"[0-9a-f]*\"" "$work/a.json")" = "$(grep -o "\"trace_digest\":\"[0-9a-f]*\"" "$work/b.json")" ]'
"$exe" shrink "$root/scenarios/doris-steady-state.json" --out "$work/none.json" > "$work/pass.txt" 2>&1
rc3=$?
check "a passing seed has nothing to shrink (exit 1, no file)" \
  '[ $rc3 -eq 1 ] && grep -q "nothing to shrink" "$work/pass.txt" && [ ! -e "$work/none.json" ]'
"$exe" shrink "$root/tests/scenarios/shrinkable.json" --seed x > /dev/null 2>&1
check "a bad seed is exit 2" '[ $? -eq 2 ]'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
