#pragma once
//! The Druid overlord actor: owns the overlord model (tasks, slots, locks,
//! segment metadata), answers typed requests on it, schedules each started task's
//! completion on the actor clock, and drives the streaming ingestion workloads.
//! With Druid 31's compaction supervisors enabled it also runs their
//! scheduler: every 5 seconds a CompactSegments run over the active
//! supervisors' configs, submitting to its own queue.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/network.hpp"
#include "actors/sim_clock.hpp"
#include "sim/cluster_config.hpp"

namespace compactsim::actors {

struct druid_overlord_state {
  std::shared_ptr<sim::druid::overlord> model;
  std::shared_ptr<sim::druid::compaction_supervisors> supervisors;
  /// The cluster compaction settings (slots, policy) as the coordinator last
  /// stored them: OverlordCompactionScheduler reads them from the metadata store.
  sim::druid::cluster_compaction_config cluster_settings;
  std::uint64_t schedule_generation = 0;
  std::vector<sim::druid_workload_config> workloads;
  std::map<std::string, sim::druid::segment_schema> schemas; ///< the configured datasources' columns
  std::vector<druid_worker_actor> workers;          ///< by the model's worker index
  sim_clock clock;
  network net;

  static inline const char* name = "druid-overlord";
};

druid_overlord_actor::behavior_type druid_overlord_node(
  druid_overlord_actor::stateful_pointer<druid_overlord_state> self, std::shared_ptr<sim::druid::overlord> model,
  std::shared_ptr<sim::druid::compaction_supervisors> supervisors, sim::druid_cluster_config config,
  std::vector<druid_worker_actor> workers, sim_clock clock, network net);

} // namespace compactsim::actors
