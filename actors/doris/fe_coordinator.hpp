#pragma once
//! The coordinator actor (Doris FE's role here): holds the catalog and each
//! table's visible version, and drives the load workloads. A load is two
//! phases over every backend holding the table: prepare (the -235 check, a
//! forced compaction near the limit), then commit of version v+1 only if
//! every backend prepared it. Publishing is retried until each backend has
//! it (Doris's PublishVersionDaemon), and a backend applies versions in
//! order, so a lost or late message delays a replica but never leaves a hole.

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "sim/core/rng.hpp"

#include "sim/cluster_config.hpp"
#include "actors/interfaces.hpp"
#include "actors/network.hpp"
#include "actors/sim_clock.hpp"
#include "sim/doris/catalog.hpp"

namespace compactsim::actors {

struct fe_coordinator_state {
  sim::cluster_config config;
  sim::catalog catalog;
  std::vector<backend_actor> backends;
  std::map<std::int64_t, std::int64_t> versions;             ///< table -> visible version
  std::map<std::int64_t, std::vector<std::size_t>> holders;  ///< table -> backend indexes
  std::vector<std::string> names;                            ///< "be:N", the network's node names
  network net;
  sim_clock clock;
  std::uint64_t published = 0;
  std::uint64_t rejected = 0;
  std::uint64_t publish_retries = 0;
  std::map<std::int64_t, std::set<std::int64_t>> delete_versions; ///< table -> versions published as DELETE
  std::map<std::uint64_t, std::uint64_t> workload_loads;         ///< workload index -> loads started
  std::vector<sim::rng> workload_timing;                         ///< per workload: its interval jitter
  /// Each workload's next load, by simulated time (equal times in workload
  /// order): one timer, armed for the earliest, runs every load due then
  /// as one round.
  std::multimap<sim::time_ms, std::uint64_t> due;
  sim::time_ms armed_at = -1;                                    ///< the timer's time; -1: not armed
  std::map<std::size_t, std::vector<sim::table_load>> outbox;   ///< backend -> publishes to send together

  static inline const char* name = "coordinator";
};

fe_coordinator_actor::behavior_type fe_coordinator(fe_coordinator_actor::stateful_pointer<fe_coordinator_state> self,
                                             sim::cluster_config config, sim::catalog catalog,
                                             std::vector<backend_actor> backends, sim_clock clock, network net);

} // namespace compactsim::actors
