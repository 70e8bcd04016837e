#pragma once
// A whole cluster on CAF's test coordinator for the suites: virtual time, never sleeps.

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>

#include "actors/virtual_cluster.hpp"
#include "sim/cluster_config.hpp"

namespace compactsim::test {

/// The suites' cluster (actors::virtual_cluster), which must place, and
/// asking it for an answer.
struct cluster_fixture : actors::virtual_cluster {
  explicit cluster_fixture(const sim::cluster_config& config = sim::default_cluster()) : virtual_cluster(config) {
    if (!cluster)
      throw std::runtime_error(error);
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
