#!/usr/bin/env bash
# The live API under load (issue 12, goal 5): wrk -c 64 on one BE's
# /api/compaction/run_status of a serve at --speed 100, then on
# bench_http_fixed (the same Beast server answering a fixed body, nothing
# behind it) in the same run; prints requests/s, p50/p99 and the ratio.
# Usage: bench/live_bench.sh [BUILD_DIR] [w1]   (w1: the issue's 100-BE, 300,000-replica cluster)
# Needs wrk (Debian: apt-get install wrk). Everything binds 127.0.0.1 and stops by itself.
set -euo pipefail
build=${1:-build-test}
shape=${2:-default}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=$((30000 + RANDOM % 20000))
while ! port_free $base; do base=$((base + 7)); done
args=()
if [ "$shape" = w1 ]; then
  tables="" workloads=""
  for t in $(seq 0 99); do
    sep=$([ "$t" = 0 ] && echo "" || echo ",")
    tables+="$sep{\"id\": $((40000 + t)), \"keys_type\": \"DUP_KEYS\", \"buckets\": 1000, \"replication_num\": 3, \"initial_loads\": 2}"
    workloads+="$sep{\"table\": $((40000 + t)), \"loads_per_second\": 0.1, \"rows_per_load\": 1000000}"
  done
  echo "{\"druid\": {\"enabled\": false}, \"doris\": {\"backends\": 100, \"tables\": [$tables], \"workloads\": [$workloads]}}" > "$work/w1.json"
  args=(--config "$work/w1.json")
  tablet=$(( 50000 ))
else
  tablet=10015
fi
"$build/tools/compactsim" serve --bind 127.0.0.1 --doris-port $base --druid-port $((base + 200)) --admin-port $((base + 201)) \
  --node-port $((base + 202)) --speed 100 --log-level warn --max-connections 4096 "${args[@]}" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -fsS -m 2 "http://127.0.0.1:$((base + 201))/healthz" > /dev/null 2>&1 && break
  sleep 0.2
done
sleep 2
url="http://127.0.0.1:$base/api/compaction/run_status?tablet_id=$tablet"
echo "run_status: $(curl -s "$url" | tr -d '\n' | cut -c1-120)"
wrk -t2 -c64 -d10s --latency "$url" > "$work/serve.txt"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
"$build/bench/bench_http_fixed" $((base + 300)) 14 > /dev/null &
pid=$!
sleep 1
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$((base + 300))/" > "$work/fixed.txt"
wait "$pid" 2>/dev/null || true; pid=""
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
printf "%-34s %12s %10s %10s\n" "" "requests/s" "p50" "p99"
printf "%-34s %12s %10s %10s\n" "serve ($shape) run_status" "$(rps "$work/serve.txt")" "$(pct "$work/serve.txt" 50%)" "$(pct "$work/serve.txt" 99%)"
printf "%-34s %12s %10s %10s\n" "Beast server, fixed body" "$(rps "$work/fixed.txt")" "$(pct "$work/fixed.txt" 50%)" "$(pct "$work/fixed.txt" 99%)"
awk -v a="$(rps "$work/serve.txt")" -v b="$(rps "$work/fixed.txt")" 'BEGIN {printf "ratio: %.2fx the fixed body'"'"'s requests/s\n", a / b}'
