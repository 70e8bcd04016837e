#pragma once
// A whole cluster on CAF's test coordinator: virtual time, never sleeps.

#include <memory>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "sim/cluster_config.hpp"
#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "actors/virtual_time.hpp"

namespace compactsim::test {

struct cluster_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<actors::virtual_time> time;
  std::optional<actors::cluster> cluster;
  std::unique_ptr<actors::doris_cluster_service> service;
  std::unique_ptr<actors::druid_cluster_service> druid;

  explicit cluster_fixture(const sim::cluster_config& config = sim::default_cluster()) {
    actors::use_test_scheduler(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    time = std::make_unique<actors::virtual_time>(*sys);
    std::string error;
    cluster = actors::spawn_cluster(*sys, config, error);
    if (!cluster)
      throw std::runtime_error(error);
    service = std::make_unique<actors::doris_cluster_service>(*sys, cluster->router, cluster->backends.size(),
                                                        config.doris.profile);
    druid = std::make_unique<actors::druid_cluster_service>(*sys, cluster->druid_coordinator, cluster->druid_overlord);
    time->drain();
  }

  ~cluster_fixture() {
    actors::stop_cluster(*cluster);
    time->drain();
  }

  /// Calls `fn(callback)` and runs the scheduler (advancing up to `limit`)
  /// until the callback fired; returns the reply.
  template <class T, class Fn>
  actors::reply<T> ask(Fn fn, std::chrono::milliseconds limit = std::chrono::seconds{10}) {
    auto out = std::make_shared<std::optional<actors::reply<T>>>();
    fn([out](actors::reply<T> r) { *out = std::move(r); });
    time->drain();
    for (auto waited = std::chrono::milliseconds{0}; !*out && waited < limit; waited += std::chrono::milliseconds{10})
      time->run_for(std::chrono::milliseconds{10});
    if (!*out)
      throw std::runtime_error("no reply within the limit");
    return std::move(**out);
  }

  /// The overlord's model, for a test to seed before it asks anything: on
  /// the test coordinator every actor runs on this thread, inside drain and
  /// run_for, so between those nothing else touches it. What the actors
  /// answer is read through the typed requests.
  sim::druid::overlord& overlord_model() { return *cluster->overlord_model; }
};

} // namespace compactsim::test
