#include "actors/cluster.hpp"

#include <memory>

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "actors/backend_node.hpp"
#include "actors/coordinator.hpp"
#include "actors/druid_coordinator_node.hpp"
#include "actors/druid_overlord_node.hpp"
#include "actors/druid_worker_node.hpp"
#include "sim/druid_bootstrap.hpp"
#include "actors/router.hpp"
#include "sim/bootstrap.hpp"

namespace compactsim::actors {

std::optional<cluster> spawn_cluster(caf::actor_system& sys, const sim::cluster_config& cfg, std::string& error) {
  auto cat = sim::build_catalog(cfg.doris, error);
  if (!cat)
    return std::nullopt;
  sim_clock clock{cfg.epoch_ms, sys.clock().now()};
  cluster c;
  c.config = cfg;
  c.catalog = *cat;
  auto models = sim::build_backends(cfg, *cat, cfg.epoch_ms);
  for (auto& model : models)
    c.backends.push_back(sys.spawn(backend_node, std::make_shared<sim::backend_model>(std::move(model)), clock));
  c.router = sys.spawn(router, c.backends);
  c.coordinator = sys.spawn(coordinator, cfg, *cat, c.backends);
  if (cfg.druid.enabled) {
    auto overlord = std::make_shared<sim::druid::overlord>(sim::druid::build_overlord(cfg));
    for (const auto& w : cfg.druid.workers)
      c.druid_workers.push_back(sys.spawn(druid_worker_node, w.host));
    c.druid_overlord = sys.spawn(druid_overlord_node, std::move(overlord), cfg.druid, c.druid_workers, clock);
    auto coord = std::make_shared<sim::druid::coordinator>(cfg.druid.knobs, cfg.seed ^ 0x9e3779b97f4a7c15ULL);
    c.druid_coordinator = sys.spawn(druid_coordinator_node, std::move(coord), c.druid_overlord, clock);
  }
  return c;
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
  stop(c.coordinator);
  stop(c.router);
  for (auto& be : c.backends)
    stop(be);
}

} // namespace compactsim::actors
