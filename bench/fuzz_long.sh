#!/usr/bin/env bash
# Runs every libFuzzer target for long, one after another, and prints each
# one's executions, coverage and corpus size; exit 1 if any found a crash.
#
#   bench/fuzz_long.sh [SECONDS_PER_TARGET=600] [BUILD_DIR=build-test] [JOBS=2] [TARGETS=all]
#
# FUZZ_TIMEOUT (seconds, default 20) bounds one input by the wall clock.
# Raise it when the fuzzers run niced beside a build: a niced process gets
# a few percent of a core then, and a 200 ms input takes 10 s or more.
#
# JOBS=0 runs one process without fork mode: it stops at the first crash,
# but a route table's target runs 10-15 times as fast there (fork mode
# rebuilds the cluster and reloads corpus for every job).
#
# The targets are built by tools/test (BUILD_DIR/fuzz/fuzz/). Each keeps its
# corpus in BUILD_DIR/fuzz/corpus/<target> between runs, so coverage grows
# over time; crashes land in BUILD_DIR/fuzz/crashes/.
set -uo pipefail
shopt -s extglob
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-600}
build=${2:-$root/build-test}
jobs=${3:-2}
all_targets="fuzz_scenario fuzz_cluster_config fuzz_fault_spec fuzz_node_frames fuzz_doris_routes fuzz_druid_routes fuzz_control_routes"
targets=${4:-$all_targets}
fuzz=$build/fuzz
seeds=$root/fuzz/corpus
mkdir -p "$fuzz/crashes"
declare -A seed_dirs=(
  [fuzz_scenario]="$root/scenarios $root/tests/scenarios"
  [fuzz_cluster_config]="$root/examples"
  [fuzz_fault_spec]="$seeds/fault_spec"
  [fuzz_node_frames]="$seeds/node_frames"
  [fuzz_doris_routes]="$seeds/routes"
  [fuzz_druid_routes]="$seeds/routes"
  [fuzz_control_routes]="$seeds/routes"
)
failed=0
printf '%-22s %12s %10s %8s %8s %s\n' target executions exec/s cov corpus verdict
for target in $targets; do
  bin=$fuzz/fuzz/$target
  [ -x "$bin" ] || { echo "$target: not built (run tools/test first)"; failed=1; continue; }
  corpus=$fuzz/corpus/$target
  mkdir -p "$corpus"
  log=$fuzz/$target.long.log
  # -fork runs JOBS processes and goes on after a crash, saving it.
  fork=(-fork="$jobs" -ignore_crashes=1)
  [ "$jobs" = 0 ] && fork=()
  # libFuzzer's own leak check runs LeakSanitizer over the whole heap after
  # every input that allocated more than it freed, which a route target's
  # input always does (the cluster's state grows): 30-100 executions a
  # second instead of thousands. LeakSanitizer still checks at exit.
  per_input_leaks=(-detect_leaks=0)
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin" "${fork[@]}" "${per_input_leaks[@]}" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=3072 \
      -artifact_prefix="$fuzz/crashes/$target-" "$corpus" ${seed_dirs[$target]} >"$log" 2>&1
  # The status lines: fork mode's
  #   "#N: cov: C ft: F corp: K exec/s E oom/timeout/crash: a/b/c time: Ts job: J ..."
  # and one process's "#N  NEW|REDUCE|pulse|DONE  cov: C ft: F corp: K/S ... exec/s: E rss: R".
  last=$(grep -E '^#[0-9]+:?[[:space:]]+(cov|NEW|REDUCE|pulse|DONE|INITED)' "$log" | tail -1)
  execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
  rate=$(sed -nE 's/.* exec\/s:? ([0-9]+).*/\1/p' <<<"$last")
  crashes=$(sed -nE 's/.*oom\/timeout\/crash: ([0-9]+)\/([0-9]+)\/([0-9]+).*/\1+\2+\3/p' <<<"$last")
  crashes=$(( ${crashes:-0} ))
  verdict=ok
  # Crashes, leaks, timeouts and OOMs fail; a slow-unit file (an input over
  # 10 s, kept for a look) does not.
  if [ "${crashes:-0}" != 0 ] || compgen -G "$fuzz/crashes/$target-@(crash|leak|timeout|oom)-*" >/dev/null; then
    verdict="CRASH (see $fuzz/crashes)"; failed=1
  fi
  printf '%-22s %12s %10s %8s %8s %s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${corp:-?}" "$verdict"
done
exit $failed
