#pragma once
//! Spawns and stops a whole simulated cluster on an actor system, whichever
//! scheduler it runs (threaded for `serve`, the test coordinator for tests
//! and scenarios).

#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "sim/catalog.hpp"

namespace compactsim::actors {

struct cluster {
  sim::cluster_config config;
  sim::catalog catalog;
  coordinator_actor coordinator;
  router_actor router;
  std::vector<backend_actor> backends;
  druid_overlord_actor druid_overlord;          ///< unset when the Druid side is disabled
  druid_coordinator_actor druid_coordinator;
  std::vector<druid_worker_actor> druid_workers;
};

/// Builds the catalog and backends from `cfg` and spawns every actor.
/// Simulated time starts at cfg.epoch_ms. Returns nullopt with `error` set
/// when the config cannot be placed.
std::optional<cluster> spawn_cluster(caf::actor_system& sys, const sim::cluster_config& cfg, std::string& error);

/// Sends every actor of the cluster an exit message.
void stop_cluster(cluster& c);

} // namespace compactsim::actors
