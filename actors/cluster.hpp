#pragma once
//! Spawns and stops a whole simulated cluster on an actor system, whichever
//! scheduler it runs (threaded for `serve`, the test coordinator for tests
//! and scenarios).

#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "sim/cluster_config.hpp"
#include "actors/interfaces.hpp"
#include "actors/network.hpp"
#include "actors/sim_clock.hpp"
#include "sim/doris/catalog.hpp"
#include "sim/core/trace.hpp"

namespace compactsim::actors {

struct cluster {
  sim::cluster_config config;
  sim::catalog catalog;
  fe_coordinator_actor fe_coordinator;
  router_actor router;
  std::vector<backend_actor> backends;
  /// Per backend: the node process's host actor when the BE runs in another
  /// process (it restarts the BE there), else unset.
  std::vector<caf::actor> hosts;
  druid_overlord_actor druid_overlord;          ///< unset when the Druid side is disabled
  druid_coordinator_actor druid_coordinator;
  std::vector<druid_worker_actor> druid_workers;
  sim_clock clock;
  network net;                                  ///< every node-to-node message goes through it
  /// The models behind the actors. Only a single-threaded scheduler (the
  /// scenario runner) may read them directly, between events.
  std::vector<std::shared_ptr<sim::backend_model>> backend_models;
  std::shared_ptr<sim::druid::overlord> overlord_model;
  std::shared_ptr<sim::druid::coordinator> coordinator_model;
  std::shared_ptr<sim::druid::compaction_supervisors> supervisors_model;
};

/// Builds the catalog and backends from `cfg` and spawns every actor.
/// Simulated time starts at cfg.epoch_ms. Returns nullopt with `error` set
/// when the config cannot be placed.
std::optional<cluster> spawn_cluster(caf::actor_system& sys, const sim::cluster_config& cfg, std::string& error,
                                     sim::trace_sink* trace = nullptr, double speed = 1.0);

/// Kills BE `i`'s actor: its in-flight compactions are lost, its published
/// rowsets stay in its model.
void crash_backend(cluster& c, std::size_t i);
/// Starts BE `i` again over the rowsets it had; the router and the
/// coordinator learn its new handle. A BE of a node process is started
/// again by that process (which attaches it anew).
void restart_backend(caf::actor_system& sys, cluster& c, std::size_t i);
/// Kills Druid worker `w`: the overlord fails its running tasks.
void crash_worker(cluster& c, std::size_t w);
/// Starts worker `w` again with its slots.
void restart_worker(caf::actor_system& sys, cluster& c, std::size_t w);

/// Every node's network name, in a fixed order: fe, be:0.., and with the
/// Druid side coordinator, overlord, worker:0..
std::vector<std::string> node_names(const cluster& c);

/// Sends every actor of the cluster an exit message.
void stop_cluster(cluster& c);

} // namespace compactsim::actors
