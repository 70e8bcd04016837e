#!/usr/bin/env bash
# xmllint judges `compactsim run --junit` against the JUnit schema, for a
# passing and a failing scenario; a report with a bad attribute must be refused.
# Usage: judge_junit.sh COMPACTSIM_EXE SOURCE_ROOT
set -uo pipefail
exe=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
xsd="$root/tests/formats/junit.xsd"
passed=0 failed=0
check() { # name file expect(valid|invalid)
  if xmllint --noout --schema "$xsd" "$2" > "$work/out" 2>&1; then got=valid; else got=invalid; fi
  if [ "$got" = "$3" ]; then passed=$((passed + 1)); echo "ok: $1 is $3"
  else failed=$((failed + 1)); echo "FAIL: $1 is $got, expected $3"; cat "$work/out"; fi
}
"$exe" run "$root/scenarios/doris-steady-state.json" --junit "$work/pass.xml" --quiet > /dev/null
check "JUnit of a passing run" "$work/pass.xml" valid
"$exe" run "$root/tests/scenarios/failing.json" --junit "$work/fail.xml" --quiet > "$work/quiet.txt"
! grep -q '^  ok ' "$work/quiet.txt" && grep -q '^  FAIL ' "$work/quiet.txt" \
  && { passed=$((passed + 1)); echo "ok: --quiet prints only the failing checks"; } \
  || { failed=$((failed + 1)); echo "FAIL: --quiet printed ok lines"; cat "$work/quiet.txt"; }
"$exe" run "$root/tests/scenarios/failing.json" --trace /nonexistent-dir/t.jsonl > /dev/null 2>&1
[ $? -eq 2 ] && { passed=$((passed + 1)); echo "ok: an unwritable --trace fails with exit 2"; } \
  || { failed=$((failed + 1)); echo "FAIL: an unwritable --trace did not exit 2"; }
check "JUnit of a failing run" "$work/fail.xml" valid
grep -q '<failure' "$work/fail.xml" && { passed=$((passed + 1)); echo "ok: the failing run has failures"; } \
  || { failed=$((failed + 1)); echo "FAIL: the failing run's JUnit has no <failure>"; }
# The replay line names the file, so it runs as printed (issue 14).
grep -q 'replay: compactsim run [^ ]*tests/scenarios/failing.json --seed 1<' "$work/fail.xml" \
  && { passed=$((passed + 1)); echo "ok: the replay line names the file"; } \
  || { failed=$((failed + 1)); echo "FAIL: the replay line does not name the file"; grep -o 'replay: [^<]*' "$work/fail.xml" | head -1; }
grep -q '(1 violation)' "$work/fail.xml" \
  && { passed=$((passed + 1)); echo "ok: one violation is singular"; } \
  || { failed=$((failed + 1)); echo "FAIL: '(1 violation)' not found"; }
sed 's/tests="\([0-9]*\)"/tests="many"/' "$work/pass.xml" > "$work/bad.xml"
check "a report with tests=\"many\"" "$work/bad.xml" invalid
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
