#!/usr/bin/env bash
# Record and replay: a live serve --record session (BE and router requests,
# a crash and its heal, an ingest, a clock change that cannot be a step) written at exit as
# a scenario that `compactsim run` replays and passes; POST /sim/v1/record
# start/stop answers the same kind of file.
# Usage: record_test.sh COMPACTSIM_EXE
set -uo pipefail
exe=$1
work=$(mktemp -d)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_serve() { # extra args...
  for attempt in $(seq 1 20); do
    base=$((20000 + (RANDOM % 12700)))  # below the ephemeral range (32768+)
    ok=1
    for i in 0 1 2 3 4 5; do port_free $((base + i)) || ok=0; done
    [ $ok = 1 ] || continue
    "$exe" serve --bind 127.0.0.1 --doris-port "$base" --druid-port $((base + 3)) --admin-port $((base + 4)) \
      --node-port $((base + 5)) --speed 20 --log-level info "$@" > "$work/serve.log" 2>&1 &
    serve_pid=$!
    for _ in $(seq 1 100); do
      curl -fsS -m 2 "http://127.0.0.1:$((base + 4))/readyz" >/dev/null 2>&1 && return 0
      kill -0 "$serve_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=""
  done
  return 1
}
stop_serve() { kill -INT "$serve_pid"; wait "$serve_pid"; serve_pid=""; }

start_serve --record "$work/session.json" || { cat "$work/serve.log"; echo "FAIL: serve did not start"; exit 1; }
be0=$base be1=$((base + 1)) druid=$((base + 3)) admin=$((base + 4))
# Before a reset: what the recording drops when the cluster starts again.
curl -s -o /dev/null "http://127.0.0.1:$be0/api/compaction/run_status?tablet_id=424242"
curl -s -o /dev/null -X POST "http://127.0.0.1:$admin/sim/v1/reset"
curl -s -o /dev/null -X POST "http://127.0.0.1:$be0/api/compaction/run?tablet_id=10015&compact_type=cumulative"
curl -s -o /dev/null "http://127.0.0.1:$be0/api/compaction/run_status?tablet_id=99999999"
curl -s -o /dev/null -X POST "http://127.0.0.1:$admin/sim/v1/faults" -d '{"kind": "crash", "target": "be:1"}'
curl -s -o /dev/null -m 2 "http://127.0.0.1:$be1/api/compaction/show?tablet_id=10015"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$druid/druid/coordinator/v1/config/compaction" \
  -d '{"dataSource": "wikipedia", "skipOffsetFromLatest": "PT0S"}'
curl -s -o /dev/null -X DELETE "http://127.0.0.1:$admin/sim/v1/faults"
curl -s -o /dev/null -X POST "http://127.0.0.1:$admin/sim/v1/ingest" -d '{"doris": {"table": 10104}}'
curl -s -o /dev/null -X POST "http://127.0.0.1:$admin/sim/v1/clock" -d '{"speed": 20}'
state=$(curl -s "http://127.0.0.1:$admin/sim/v1/record")
# The readiness polls of start_serve count too (they are left out of the file).
n=$(echo "$state" | grep -o '"requests":[0-9]*' | cut -d: -f2)
check "GET /sim/v1/record says it records, with the session's requests ($state)" \
  'echo "$state" | grep -q "\"recording\":true" && [ "${n:-0}" -ge 8 ]'
stop_serve
f="$work/session.json"
check "serve --record writes the session at exit" '[ -s "$f" ]'
check "the file is a valid scenario" '"$exe" validate "$f" > /dev/null'
check "BE and router requests are http steps with their statuses" \
  'grep -q "\"node\":\"be:0\",\"method\":\"POST\".*\"expect\":{\"status\":200}" "$f" &&
   grep -q "tablet_id=99999999\".*\"expect\":{\"status\":200}" "$f" &&
   grep -q "\"node\":\"druid\".*\"body\":{\"dataSource\":\"wikipedia\"" "$f"'
check "a request to the crashed BE expects no answer (status 0)" 'grep -q "\"node\":\"be:1\".*\"expect\":{\"status\":0}" "$f"'
check "the crash is a fault step with its id, the heal a heal step" \
  'grep -q "\"fault\":{\"kind\":\"crash\",\"target\":\"be:1\",\"id\":\"fault-1\"}" "$f" && grep -q "\"heal\":\"all\"" "$f"'
check "the ingest is an ingest step" 'grep -q "\"ingest\":{\"doris\":{\"table\":10104}}" "$f"'
check "a reset starts the recording again" '! grep -q "tablet_id=424242" "$f"'
check "a clock change is named as left out" 'grep -q "^//   POST /sim/v1/clock (200)" "$f"'
"$exe" run "$f" --quiet > "$work/replay.txt" 2>&1
rc=$?
cat "$work/replay.txt"
check "compactsim run replays it and every status matches" '[ $rc -eq 0 ]'

start_serve || { echo "FAIL: serve did not start again"; exit 1; }
admin=$((base + 4)) be0=$base
check "stop without a recording is 409" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$admin/sim/v1/record" -d "{\"action\": \"stop\"}")" = 409 ]'
check "a bad action is 400" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$admin/sim/v1/record" -d "{\"action\": \"pause\"}")" = 400 ]'
curl -s -o /dev/null -X POST "http://127.0.0.1:$admin/sim/v1/record" -d '{"action": "start"}'
curl -s -o /dev/null "http://127.0.0.1:$be0/api/compaction/show?tablet_id=10015"
curl -s -X POST "http://127.0.0.1:$admin/sim/v1/record" -d '{"action": "stop"}' > "$work/api.json"
check "POST /sim/v1/record stop answers the scenario" \
  'grep -q "\"name\": \"recorded\"" "$work/api.json" && grep -q "/api/compaction/show?tablet_id=10015" "$work/api.json"'
"$exe" run "$work/api.json" --quiet > /dev/null 2>&1
check "and it replays" '[ $? -eq 0 ]'
stop_serve
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
