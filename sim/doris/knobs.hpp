#pragma once
//! Doris BE configuration knobs that the model honours, with Doris 2.1's
//! defaults (be/src/common/config.cpp) in exactly one place.

#include <cstdint>
#include <string>

namespace compactsim::sim {

constexpr std::int64_t mib = 1024 * 1024;

/// Per-backend compaction knobs. Field names follow Doris's be.conf keys.
struct doris_knobs {
  bool disable_auto_compaction = false;
  int compaction_task_num_per_disk = 4;          ///< slots per disk; last is cumulative-only
  int max_base_compaction_threads = 4;           ///< the base pool, shared by base and table_id full tasks
  int cumulative_compaction_rounds_for_each_base_compaction_round = 9;
  std::int64_t generate_compaction_tasks_interval_ms = 100;
  std::int64_t producer_idle_sleep_ms = 2000;    ///< producer sleep when nothing was picked
  std::int64_t cumulative_compaction_min_deltas = 5;
  std::int64_t cumulative_compaction_max_deltas = 1000;
  std::int64_t compaction_promotion_size_mbytes = 1024;
  double compaction_promotion_ratio = 0.05;
  std::int64_t compaction_promotion_min_size_mbytes = 128;
  std::int64_t compaction_promotion_version_count = 1000;
  std::int64_t compaction_min_size_mbytes = 64;
  std::int64_t base_compaction_min_rowset_num = 5;
  double base_compaction_min_data_ratio = 0.3;
  std::int64_t base_compaction_max_compaction_score = 20;
  std::int64_t base_compaction_interval_seconds_since_last_operation = 86400;
  std::int64_t min_compaction_failure_interval_ms = 5000;
  std::int64_t skip_tablet_compaction_second = 10;
  std::int64_t max_tablet_version_num = 2000;
  std::int64_t tablet_rowset_stale_sweep_time_sec = 600;
  /// CumulativeCompaction::pick_rowsets_to_compact moves a stuck cumulative
  /// point when both last success times are older than this.
  std::int64_t pick_rowset_to_compact_interval_sec = 86400;
  /// Doris's delete-heavy cumulative throttle; stored for show/update_config.
  bool enable_sleep_between_delete_cumu_compaction = false;
  /// Bytes per second one compaction reads and writes on this backend's disks.
  std::int64_t disk_throughput_bytes_per_sec = 64 * mib;
  /// Fixed cost of any compaction (open, sort, publish), in milliseconds.
  std::int64_t compaction_fixed_cost_ms = 50;
  /// Target size of a compaction output segment.
  std::int64_t segment_size_bytes = 256 * mib;
  /// Manual tablet_id runs wait this long for a result before answering Success.
  std::int64_t manual_compaction_wait_ms = 2000;
};

/// The first knob outside its valid range, as "name: must be within [lo, hi]"
/// (empty when all are valid). One table of ranges for every way a knob is
/// set: serve --config, scenario files, POST /sim/v1/reset and update_config.
/// The ranges keep the model finite (no division by zero, no zero-delay
/// loops) and are documented in the README.
std::string knob_range_error(const doris_knobs& k);

} // namespace compactsim::sim
