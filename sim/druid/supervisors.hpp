#pragma once
//! Druid 31's compaction supervisors on the overlord, as a pure model: the
//! `autocompact` supervisor specs (SupervisorManager with the metadata
//! store's spec history) and OverlordCompactionScheduler, which runs the
//! CompactSegments duty every 5 seconds over the active supervisors' configs
//! when `druid.supervisor.compaction.enabled` is true.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/druid/config.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/duty.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::sim::druid {

/// CompactionSupervisorSpec: {"type": "autocompact", "spec": config, "suspended": b}.
struct compaction_supervisor_spec {
  datasource_config spec;
  bool suspended = false;
  bool operator==(const compaction_supervisor_spec&) const = default;
};

/// CompactionSupervisorSpec.ID_PREFIX + the datasource.
std::string supervisor_id(const std::string& data_source);

/// CompactionSupervisor.State (its basic state is itself).
enum class supervisor_state { scheduler_stopped, running, suspended };
const char* to_string(supervisor_state s);

/// A supervisor as SupervisorManager holds it.
struct supervisor_entry {
  std::string id;
  compaction_supervisor_spec spec;
  supervisor_state state = supervisor_state::running;
};

/// One row of the metadata store's supervisor table (VersionedSupervisorSpec):
/// a spec, or nullopt for the tombstone (NoopSupervisorSpec) a termination writes.
struct versioned_spec {
  std::string id;
  std::optional<compaction_supervisor_spec> spec;
  std::string data_source;  ///< the tombstone's dataSources
  time_ms version = 0;      ///< when it was written (printed as the version)
};

/// What the supervisor API reads: every supervisor (in the order
/// SupervisorManager's ConcurrentHashMap keys iterate) and the scheduler's
/// latest status.
struct supervisor_board {
  bool scheduler_running = false;
  std::vector<supervisor_entry> supervisors;
  compaction_status status;  ///< the scheduler duty's latest snapshots
  time_ms now = 0;

  const supervisor_entry* find(const std::string& id) const;
};

/// What suspending, resuming or terminating came to.
enum class supervisor_outcome { done, absent, already };

/// POST /supervisor/{id}/suspend|resume|terminate, or the *All forms (id "").
struct supervisor_command {
  enum class op { suspend, resume, terminate } what = op::suspend;
  std::string id;  ///< "" for every supervisor
};

class compaction_supervisors {
public:
  compaction_supervisors(bool scheduler_enabled, std::uint64_t seed) : enabled_(scheduler_enabled), ids_(seed) {}

  /// druid.supervisor.compaction.enabled: the scheduler runs (it starts with the overlord).
  bool scheduler_running() const { return enabled_; }
  /// SupervisorManager#createOrUpdateAndStartSupervisor: stops any supervisor
  /// with the id, starts this one and writes the spec to the history.
  std::string put(compaction_supervisor_spec s, time_ms now);
  supervisor_outcome apply(const supervisor_command& c, time_ms now);
  /// The history for one id (newest first), or every id's when `id` is "".
  std::vector<versioned_spec> history(const std::string& id) const;
  supervisor_board board(time_ms now) const;

  /// The datasource configs the scheduler compacts: the running supervisors'.
  cluster_compaction_config active_config(const cluster_compaction_config& cluster) const;
  /// One scheduled CompactSegments run with the cluster's slot settings and
  /// policy over the active supervisors (OverlordCompactionScheduler#runCompactionDuty).
  duty_result run(const duty_view& view, const cluster_compaction_config& cluster, time_ms now);
  /// OverlordCompactionScheduler#simulateRunWithConfigUpdate: empty unless the scheduler runs.
  simulation simulate(const duty_view& view, const cluster_compaction_config& cluster, const cluster_update& update,
                      time_ms now) const;

private:
  struct held {
    compaction_supervisor_spec spec;
    std::uint64_t seq = 0;
  };
  void stop(const std::string& id);
  supervisor_state state_of(const compaction_supervisor_spec& s) const;

  bool enabled_;
  rng ids_;
  std::map<std::string, held> supervisors_;
  std::uint64_t next_seq_ = 0;
  std::vector<versioned_spec> table_;  ///< oldest first
  std::vector<auto_compaction_snapshot> latest_;
  std::uint64_t runs_ = 0;
};

} // namespace compactsim::sim::druid
