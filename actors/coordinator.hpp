#pragma once
//! The coordinator actor (Doris FE's role here): holds the catalog and each
//! table's visible version, and drives the load workloads. A load is two
//! phases over every backend holding the table: prepare (the -235 check, a
//! forced compaction near the limit), then commit of version v+1 only if
//! every backend prepared it, so replicas never diverge in versions.

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/sim_clock.hpp"
#include "sim/catalog.hpp"

namespace compactsim::actors {

struct coordinator_state {
  sim::cluster_config config;
  sim::catalog catalog;
  std::vector<backend_actor> backends;
  std::map<std::int64_t, std::int64_t> versions;             ///< table -> visible version
  std::map<std::int64_t, std::vector<std::size_t>> holders;  ///< table -> backend indexes
  std::set<std::size_t> partitioned;                         ///< backends the coordinator cannot reach
  sim_clock clock;
  std::uint64_t published = 0;
  std::uint64_t rejected = 0;

  static inline const char* name = "coordinator";
};

coordinator_actor::behavior_type coordinator(coordinator_actor::stateful_pointer<coordinator_state> self,
                                             sim::cluster_config config, sim::catalog catalog,
                                             std::vector<backend_actor> backends, sim_clock clock);

} // namespace compactsim::actors
