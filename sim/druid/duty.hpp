#pragma once
//! The coordinator's CompactSegments duty (Druid 30), as a pure function of
//! what it reads each run: the compaction config, a snapshot of the used
//! segment timelines, the overlord's active compaction tasks and locks, and
//! the worker capacity. It returns the tasks to submit, the tasks to cancel
//! and the new auto-compaction status snapshot.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "sim/druid/compaction_status.hpp"
#include "sim/druid/config.hpp"
#include "sim/druid/segments.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::sim::druid {

/// Bytes, segments and distinct segment intervals.
struct compaction_stats {
  std::int64_t bytes = 0;
  std::int64_t segments = 0;
  std::int64_t intervals = 0;

  void add(const std::vector<const segment*>& segs);
  bool operator==(const compaction_stats&) const = default;
};

/// AutoCompactionSnapshot.
struct auto_compaction_snapshot {
  std::string data_source;
  bool enabled = true;                 ///< scheduleStatus RUNNING, else NOT_ENABLED (a suspended supervisor)
  std::optional<std::string> message;  ///< Druid 31: why a supervisor's spec cannot run
  compaction_stats awaiting;
  compaction_stats compacted;
  compaction_stats skipped;
};

/// An active (waiting, pending or running) compaction task, as the
/// coordinator reads it from the overlord.
struct active_task {
  std::string id;
  std::string data_source;
  interval span;
  std::optional<granularity> segment_granularity;
  bool has_granularity_spec = false;
  int slots = 1;
};

/// A time-chunk lock the overlord holds.
struct held_lock {
  std::string task_id;
  std::string data_source;
  interval span;
  std::int64_t priority = 0;
};

struct duty_input {
  const cluster_compaction_config* config = nullptr;
  std::vector<std::shared_ptr<const timeline>> timelines;
  std::vector<active_task> active;
  std::vector<held_lock> locks;
  std::int64_t current_capacity = 0;         ///< totalWorkerCapacity.currentClusterCapacity
  std::int64_t max_capacity_auto_scale = -1; ///< .maximumCapacityWithAutoScale
  time_ms now = 0;
};

struct duty_result {
  std::vector<boost::json::object> submissions; ///< compact task specs, in submission order
  std::vector<std::string> cancellations;       ///< task ids to shut down
  std::vector<auto_compaction_snapshot> snapshot; ///< in Druid's (HashMap) order
  std::int64_t max_slots = 0;
  std::int64_t available_slots = 0;
};

/// One run of CompactSegments. `ids` draws the random part of task ids.
duty_result run_compact_segments(const duty_input& in, rng& ids);

/// One row of the compaction simulator's tables (Druid 31's
/// CompactionRunSimulator#createRow): the candidate's datasource, umbrella
/// interval, segment count and bytes; the task's slots for a queued one;
/// and why, for every state but COMPLETE.
struct simulated_candidate {
  std::string data_source;
  interval umbrella;
  std::int64_t segments = 0;
  std::int64_t bytes = 0;
  std::optional<int> max_task_slots;
  std::optional<std::string> reason;
};

/// CompactionSimulateResult: what one duty run would do, state by state.
/// RUNNING stays empty: Druid 31's CompactionStatus#compute never yields it.
struct simulation {
  std::vector<simulated_candidate> complete; ///< already compacted, in search order
  std::vector<simulated_candidate> running;
  std::vector<simulated_candidate> pending;  ///< in submission order
  std::vector<simulated_candidate> skipped;  ///< in search order
};

/// CompactionRunSimulator#simulateRunWithConfig (Druid 31): the duty run on
/// `in` with unlimited task slots and worker capacity, submitting and
/// cancelling nothing. `policy` replaces the config's when given (its
/// priority datasource's candidates go first).
simulation simulate_compact_segments(const duty_input& in, const std::optional<compaction_policy>& policy);

/// "prefix_type_dataSource_<8 letters a-p>_<now>" (IdUtils.newTaskId).
std::string new_task_id(std::string_view prefix, const std::string& ds, time_ms now, rng& ids);

} // namespace compactsim::sim::druid
