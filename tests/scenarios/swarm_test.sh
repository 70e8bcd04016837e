#!/usr/bin/env bash
# compactsim swarm over a passing and a failing scenario: the tally, the
# exit code, the replay lines and the JUnit (valid against the JUnit schema,
# one testcase per scenario and seed).
# Usage: swarm_test.sh COMPACTSIM_EXE SOURCE_ROOT
set -uo pipefail
exe=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
"$exe" swarm "$root/scenarios/doris-steady-state.json" "$root/tests/scenarios/failing.json" --seeds 2 --jobs 2 \
  --junit "$work/swarm.xml" > "$work/out.txt" 2>&1
rc=$?
cat "$work/out.txt"
check "a failing run makes the swarm exit 1" '[ $rc -eq 1 ]'
check "the tally counts 2 passed and 2 failed" 'grep -qx "2 passed, 2 failed" "$work/out.txt"'
check "each failure has its replay command" \
  '[ "$(grep -c "compactsim run .*failing.json --seed [12]$" "$work/out.txt")" -eq 2 ]'
check "the JUnit is valid" 'xmllint --noout --schema "$root/tests/formats/junit.xsd" "$work/swarm.xml" 2>/dev/null'
check "the JUnit has one testcase per scenario and seed" '[ "$(grep -c "<testcase" "$work/swarm.xml")" -eq 4 ]'
"$exe" swarm "$root/scenarios/doris-steady-state.json" --from 5 --to 6 > "$work/ok.txt" 2>&1
rc2=$?
check "a passing swarm exits 0 and runs seeds 5 and 6" '[ $rc2 -eq 0 ] && grep -q "seed 5" "$work/ok.txt" && grep -q "seed 6" "$work/ok.txt"'
"$exe" swarm "$root/scenarios/doris-steady-state.json" "$root/tests/scenarios/failing.json" --seeds 2 --jobs 2 \
  --html "$work/reports" > "$work/html.txt" 2>&1
check "--html keeps a report of each failing run only" \
  '[ "$(ls "$work/reports" | sort | tr "\n" " ")" = "failing-seed1.html failing-seed2.html " ]'
check "each report is a failing run's page" \
  'grep -q "\"passed\":false" "$work/reports/failing-seed1.html" && grep -q "id=\"report-data\"" "$work/reports/failing-seed2.html"'
check "the replay lines point at the reports" '[ "$(grep -c "# report: .*failing-seed[12].html" "$work/html.txt")" -eq 2 ]'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
