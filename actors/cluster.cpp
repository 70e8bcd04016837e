#include "actors/cluster.hpp"

#include <memory>

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "actors/doris/backend_node.hpp"
#include "actors/doris/fe_coordinator.hpp"
#include "actors/druid/coordinator_node.hpp"
#include "actors/druid/overlord_node.hpp"
#include "actors/druid/worker_node.hpp"
#include "sim/druid/bootstrap.hpp"
#include "actors/doris/router.hpp"
#include "sim/doris/bootstrap.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::actors {

std::optional<cluster> spawn_cluster(caf::actor_system& sys, const sim::cluster_config& cfg, std::string& error,
                                     sim::trace_sink* trace, double speed) {
  auto cat = sim::build_catalog(cfg.doris, error);
  if (!cat)
    return std::nullopt;
  cluster c;
  c.clock = sim_clock{cfg.epoch_ms, sys.clock().now()};
  if (speed != 1.0)
    c.clock.set_speed(speed, sys.clock()); // before any actor computes its first delay
  c.net = network{sim::derive_seed(cfg.seed, sim::seed_stream::network)};
  c.config = cfg;
  c.catalog = *cat;
  auto models = sim::build_backends(cfg.doris, cfg.seed, *cat, cfg.epoch_ms);
  for (std::size_t i = 0; i < models.size(); ++i) {
    auto model = std::make_shared<sim::backend_model>(std::move(models[i]));
    model->set_trace(trace, "be:" + std::to_string(i));
    c.backend_models.push_back(model);
    c.backends.push_back(sys.spawn(backend_node, model, c.clock));
  }
  c.router = sys.spawn(router, c.backends);
  c.fe_coordinator = sys.spawn(fe_coordinator, cfg, *cat, c.backends, c.clock, c.net);
  if (cfg.druid.enabled) {
    c.overlord_model = std::make_shared<sim::druid::overlord>(sim::druid::build_overlord(cfg.druid, cfg.seed, cfg.epoch_ms));
    c.overlord_model->set_trace(trace);
    for (const auto& w : cfg.druid.workers)
      c.druid_workers.push_back(sys.spawn(druid_worker_node, w.host));
    c.supervisors_model = std::make_shared<sim::druid::compaction_supervisors>(
      cfg.druid.knobs.compaction_supervisors, sim::derive_seed(cfg.seed, sim::seed_stream::druid_supervisors));
    c.druid_overlord = sys.spawn(druid_overlord_node, c.overlord_model, c.supervisors_model, cfg.druid,
                                 c.druid_workers, c.clock, c.net);
    c.coordinator_model = std::make_shared<sim::druid::coordinator>(cfg.druid.knobs, sim::derive_seed(cfg.seed, sim::seed_stream::druid_coordinator));
    c.coordinator_model->set_trace(trace);
    c.druid_coordinator = sys.spawn(druid_coordinator_node, c.coordinator_model, c.druid_overlord, c.clock, c.net);
  }
  return c;
}

void crash_backend(cluster& c, std::size_t i) {
  caf::anon_send_exit(c.backends.at(i), caf::exit_reason::kill);
}

void restart_backend(caf::actor_system& sys, cluster& c, std::size_t i) {
  if (i < c.hosts.size() && c.hosts[i]) {
    caf::anon_send(c.hosts[i], respawn_atom::value, static_cast<std::int32_t>(i));
    return;
  }
  // The new actor drops what the old one had in flight (see backend_node).
  c.backends[i] = sys.spawn(backend_node, c.backend_models.at(i), c.clock);
  caf::anon_send(c.router, set_backend_atom::value, static_cast<std::int32_t>(i), c.backends[i]);
  caf::anon_send(c.fe_coordinator, set_backend_atom::value, static_cast<std::int32_t>(i), c.backends[i]);
}

void crash_worker(cluster& c, std::size_t w) {
  caf::anon_send_exit(c.druid_workers.at(w), caf::exit_reason::kill);
}

void restart_worker(caf::actor_system& sys, cluster& c, std::size_t w) {
  c.druid_workers.at(w) = sys.spawn(druid_worker_node, c.config.druid.workers.at(w).host);
  caf::anon_send(c.druid_overlord, worker_atom::value, static_cast<std::int32_t>(w), c.druid_workers[w]);
}

std::vector<std::string> node_names(const cluster& c) {
  std::vector<std::string> names{"fe"};
  for (std::size_t i = 0; i < c.backends.size(); ++i)
    names.push_back("be:" + std::to_string(i));
  if (c.druid_overlord) {
    names.push_back("coordinator");
    names.push_back("overlord");
    for (std::size_t w = 0; w < c.druid_workers.size(); ++w)
      names.push_back("worker:" + std::to_string(w));
  }
  return names;
}

void stop_cluster(cluster& c) {
  auto stop = [](const auto& hdl) {
    if (hdl)
      caf::anon_send_exit(hdl, caf::exit_reason::user_shutdown);
  };
  stop(c.druid_coordinator);
  stop(c.druid_overlord);
  for (auto& w : c.druid_workers)
    stop(w);
  stop(c.fe_coordinator);
  stop(c.router);
  for (auto& be : c.backends)
    stop(be);
}

} // namespace compactsim::actors
