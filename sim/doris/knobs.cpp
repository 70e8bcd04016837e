#include "sim/doris/knobs.hpp"

#include <cmath>
#include <sstream>

namespace compactsim::sim {

namespace {

struct knob_range {
  const char* name;
  double (*get)(const doris_knobs&);
  double lo;
  double hi;
};

std::string number(double v) {
  std::ostringstream out;
  out.precision(15);
  out << v;
  return out.str();
}

} // namespace

std::string knob_range_error(const doris_knobs& k) {
  static const knob_range ranges[] = {
    {"compaction_task_num_per_disk", [](const doris_knobs& k) { return static_cast<double>(k.compaction_task_num_per_disk); }, 2, 64},
    {"max_base_compaction_threads", [](const doris_knobs& k) { return static_cast<double>(k.max_base_compaction_threads); }, 1, 64},
    {"cumulative_compaction_rounds_for_each_base_compaction_round", [](const doris_knobs& k) { return static_cast<double>(k.cumulative_compaction_rounds_for_each_base_compaction_round); }, 1, 1000},
    {"generate_compaction_tasks_interval_ms", [](const doris_knobs& k) { return static_cast<double>(k.generate_compaction_tasks_interval_ms); }, 1, 3600000},
    {"producer_idle_sleep_ms", [](const doris_knobs& k) { return static_cast<double>(k.producer_idle_sleep_ms); }, 1, 3600000},
    {"cumulative_compaction_min_deltas", [](const doris_knobs& k) { return static_cast<double>(k.cumulative_compaction_min_deltas); }, 1, 1000000},
    {"cumulative_compaction_max_deltas", [](const doris_knobs& k) { return static_cast<double>(k.cumulative_compaction_max_deltas); }, 1, 1000000},
    {"compaction_promotion_size_mbytes", [](const doris_knobs& k) { return static_cast<double>(k.compaction_promotion_size_mbytes); }, 0, 1048576},
    {"compaction_promotion_ratio", [](const doris_knobs& k) { return static_cast<double>(k.compaction_promotion_ratio); }, 0, 1},
    {"compaction_promotion_min_size_mbytes", [](const doris_knobs& k) { return static_cast<double>(k.compaction_promotion_min_size_mbytes); }, 0, 1048576},
    {"compaction_promotion_version_count", [](const doris_knobs& k) { return static_cast<double>(k.compaction_promotion_version_count); }, 1, 100000000},
    {"compaction_min_size_mbytes", [](const doris_knobs& k) { return static_cast<double>(k.compaction_min_size_mbytes); }, 0, 1048576},
    {"base_compaction_min_rowset_num", [](const doris_knobs& k) { return static_cast<double>(k.base_compaction_min_rowset_num); }, 0, 1000000},
    {"base_compaction_min_data_ratio", [](const doris_knobs& k) { return static_cast<double>(k.base_compaction_min_data_ratio); }, 0, 1000000},
    {"base_compaction_max_compaction_score", [](const doris_knobs& k) { return static_cast<double>(k.base_compaction_max_compaction_score); }, 1, 1000000},
    {"base_compaction_interval_seconds_since_last_operation", [](const doris_knobs& k) { return static_cast<double>(k.base_compaction_interval_seconds_since_last_operation); }, 0, 3153600000},
    {"min_compaction_failure_interval_ms", [](const doris_knobs& k) { return static_cast<double>(k.min_compaction_failure_interval_ms); }, 0, 3153600000000},
    {"skip_tablet_compaction_second", [](const doris_knobs& k) { return static_cast<double>(k.skip_tablet_compaction_second); }, 0, 3153600000},
    {"max_tablet_version_num", [](const doris_knobs& k) { return static_cast<double>(k.max_tablet_version_num); }, 1, 1000000},
    {"tablet_rowset_stale_sweep_time_sec", [](const doris_knobs& k) { return static_cast<double>(k.tablet_rowset_stale_sweep_time_sec); }, 0, 3153600000},
    {"pick_rowset_to_compact_interval_sec", [](const doris_knobs& k) { return static_cast<double>(k.pick_rowset_to_compact_interval_sec); }, 0, 3153600000},
    {"disk_throughput_bytes_per_sec", [](const doris_knobs& k) { return static_cast<double>(k.disk_throughput_bytes_per_sec); }, 1, 1099511627776000},
    {"compaction_fixed_cost_ms", [](const doris_knobs& k) { return static_cast<double>(k.compaction_fixed_cost_ms); }, 0, 86400000},
    {"segment_size_bytes", [](const doris_knobs& k) { return static_cast<double>(k.segment_size_bytes); }, 1, 1099511627776},
    {"manual_compaction_wait_ms", [](const doris_knobs& k) { return static_cast<double>(k.manual_compaction_wait_ms); }, 0, 600000},
  };
  for (const auto& r : ranges) {
    auto v = r.get(k);
    if (!std::isfinite(v) || v < r.lo || v > r.hi)
      return std::string{r.name} + ": must be within [" + number(r.lo) + ", " + number(r.hi) + "]";
  }
  return {};
}

} // namespace compactsim::sim
