#pragma once
//! A whole cluster on CAF's test coordinator: the actor system, virtual
//! time, the cluster's actors and the two services the HTTP handlers call.
//! The scenario runner, the test suites and the route fuzzers build their
//! cluster this one way.

#include <memory>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "actors/virtual_time.hpp"

namespace compactsim::actors {

struct virtual_cluster {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<virtual_time> time;
  std::optional<actors::cluster> cluster;         ///< nullopt when the config could not be placed
  std::unique_ptr<doris_cluster_service> doris;   ///< null without a cluster
  std::unique_ptr<druid_cluster_service> druid;   ///< null without a cluster; answers "disabled" without a Druid side
  std::string error;                              ///< why there is no cluster

  /// Spawns every actor of `config`; nothing has run yet (the first
  /// drain starts them). Each node reports its trace events to `trace`.
  explicit virtual_cluster(const sim::cluster_config& config, sim::trace_sink* trace = nullptr);
  /// Stops the actors it spawned and lets them finish.
  ~virtual_cluster();

  virtual_cluster(const virtual_cluster&) = delete;
  virtual_cluster& operator=(const virtual_cluster&) = delete;
};

} // namespace compactsim::actors
