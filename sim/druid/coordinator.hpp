#pragma once
//! The coordinator's compaction state as a pure model: the config store with
//! its audit log, and the status snapshot the last CompactSegments run left.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/druid/config.hpp"
#include "sim/druid/duty.hpp"
#include "sim/druid/knobs.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/trace.hpp"

namespace compactsim::sim::druid {

/// What the coordinator reads from the overlord and the metadata store for a run.
struct duty_view {
  std::vector<std::shared_ptr<const timeline>> timelines;
  std::vector<active_task> active;
  std::vector<held_lock> locks;
  std::int64_t current_capacity = 0;
};

/// What one CompactSegments run reads: `config`'s settings and datasource
/// configs, and the overlord's view (`config` must outlive the result).
duty_input input_for(const cluster_compaction_config& config, const duty_view& view, time_ms now);

/// The latest CompactSegments status and how many runs made it.
struct compaction_status {
  std::vector<auto_compaction_snapshot> latest; ///< in Druid's order; empty before the first run
  std::uint64_t runs = 0;

  /// One datasource's snapshot; nullptr when the last run did not see it.
  const auto_compaction_snapshot* find(const std::string& ds) const;
};

class coordinator {
public:
  coordinator(knobs k, std::uint64_t seed) : knobs_(k), ids_(seed) {}

  compaction_config_store& configs() { return configs_; }
  const compaction_config_store& configs() const { return configs_; }
  /// One CompactSegments run; its snapshot replaces the latest status.
  duty_result run(const duty_view& view, time_ms now);
  /// What a run on `view` would do, without doing it: nothing of this
  /// coordinator changes (DruidCoordinator#simulateRunWithConfigUpdate, Druid 31).
  simulation simulate(const duty_view& view, time_ms now, const cluster_update& request) const;
  /// The latest status, in Druid's order; empty before the first run.
  const std::vector<auto_compaction_snapshot>& latest() const { return latest_; }
  std::uint64_t runs() const { return runs_; }
  compaction_status status() const { return {latest_, runs_}; }
  /// The coordinator host's clock offset (a clock_skew fault); the actor adds it to its time.
  time_ms& clock_skew() { return clock_skew_; }
  void set_trace(trace_sink* sink) { trace_ = sink; }
  const knobs& settings() const { return knobs_; }

private:
  time_ms clock_skew_ = 0;
  knobs knobs_;
  rng ids_;
  compaction_config_store configs_;
  std::vector<auto_compaction_snapshot> latest_;
  std::uint64_t runs_ = 0;
  trace_sink* trace_ = nullptr;
};

} // namespace compactsim::sim::druid
