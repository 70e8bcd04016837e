#!/usr/bin/env bash
# The real tools judge what a live `compactsim serve` answers:
#   promtool check metrics   on every BE's /metrics and the control API's,
#   swagger-parser           on /sim/v1/openapi.json (tests/js/validate_openapi.js).
# Starts serve on free loopback ports, puts some traffic through it (so every
# metric family has samples), and stops it, all within a bounded time.
# Usage: judge_live.sh COMPACTSIM_EXE SOURCE_ROOT
set -uo pipefail
exe=$1 root=$2
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Five consecutive free ports: BEs base..base+2, Druid base+3, control base+4.
for attempt in $(seq 1 20); do
  base=$((20000 + (RANDOM % 12700)))  # below the ephemeral range (32768+)
  ok=1
  for i in 0 1 2 3 4; do port_free $((base + i)) || ok=0; done
  [ $ok = 1 ] || continue
  "$exe" serve --bind 127.0.0.1 --doris-port "$base" --druid-port $((base + 3)) --admin-port $((base + 4)) \
    --speed 50 --log-level warn > "$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS -m 2 "http://127.0.0.1:$((base + 4))/readyz" >/dev/null 2>&1 && break
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  curl -fsS -m 2 "http://127.0.0.1:$((base + 4))/readyz" >/dev/null 2>&1 && break
  kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=""
done
[ -n "$serve_pid" ] || { cat "$work/serve.log"; echo "FAIL: serve did not become ready"; echo "0 passed, 1 failed"; exit 1; }
admin=$((base + 4)) druid=$((base + 3))

# Traffic: manual compactions, a full by table, Druid config and tasks, a fault.
c() { curl -sS -m 5 -o /dev/null "$@"; }
c -X POST "http://127.0.0.1:$base/api/compaction/run?tablet_id=10015&compact_type=cumulative"
c -X POST "http://127.0.0.1:$base/api/compaction/run?table_id=10104&compact_type=full"
c "http://127.0.0.1:$((base + 1))/api/compaction/show?tablet_id=10015"
c "http://127.0.0.1:$druid/druid/coordinator/v1/config/compaction" -H 'Content-Type: application/json' \
  --data '{"dataSource": "wikipedia_hour", "skipOffsetFromLatest": "PT0S"}'
c -X POST "http://127.0.0.1:$druid/druid/coordinator/v1/compaction/compact"
c "http://127.0.0.1:$admin/sim/v1/faults" -H 'Content-Type: application/json' \
  --data '{"kind": "slow_disk", "target": "be:2", "factor": 4, "for": "1h"}'
c "http://127.0.0.1:$admin/no/such/route"
sleep 1

for port in $base $((base + 1)) $((base + 2)) $admin; do
  if ! curl -fsS -m 5 "http://127.0.0.1:$port/metrics" > "$work/metrics-$port.txt"; then
    fail "GET :$port/metrics"
    continue
  fi
  # promtool exits 1 on an error and 3 on a lint problem; both fail the check.
  if out=$(promtool check metrics < "$work/metrics-$port.txt" 2>&1); then
    pass "promtool check metrics accepts :$port/metrics ($(grep -c '^# TYPE' "$work/metrics-$port.txt") families)"
  else
    fail "promtool check metrics on :$port/metrics: $out"
  fi
done

if curl -fsS -m 5 "http://127.0.0.1:$admin/sim/v1/openapi.json" > "$work/openapi.json"; then
  if out=$(node "$root/tests/js/validate_openapi.js" "$work/openapi.json" 2>&1); then
    pass "OpenAPI document: $(echo "$out" | grep -c '^ok') checks"
  else
    fail "OpenAPI document: $(echo "$out" | grep FAIL)"
  fi
else
  fail "GET /sim/v1/openapi.json"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
