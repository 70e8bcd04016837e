#include "actors/virtual_cluster.hpp"

namespace compactsim::actors {

virtual_cluster::virtual_cluster(const sim::cluster_config& config, sim::trace_sink* trace) {
  use_test_scheduler(cfg);
  sys = std::make_unique<caf::actor_system>(cfg);
  time = std::make_unique<virtual_time>(*sys);
  cluster = spawn_cluster(*sys, config, error, trace);
  if (!cluster)
    return;
  doris = std::make_unique<doris_cluster_service>(*sys, cluster->router, cluster->backends.size(), config.doris.profile);
  druid = std::make_unique<druid_cluster_service>(*sys, cluster->druid_coordinator, cluster->druid_overlord);
}

virtual_cluster::~virtual_cluster() {
  if (cluster)
    stop_cluster(*cluster);
  time->drain();
}

} // namespace compactsim::actors
