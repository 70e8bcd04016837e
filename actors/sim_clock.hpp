#pragma once
//! Simulated time as the actors see it: milliseconds since the Unix epoch,
//! derived from CAF's actor clock. On the live scheduler that clock is the
//! steady clock; on the test coordinator it is virtual, so the same actors
//! run a day of cluster life in seconds.

#include <chrono>

#include <caf/actor_clock.hpp>

#include "sim/types.hpp"

namespace compactsim::actors {

struct sim_clock {
  sim::time_ms epoch_ms = 0;                 ///< simulated time at `origin`
  caf::actor_clock::time_point origin{};     ///< actor-clock time at start

  sim::time_ms now(const caf::actor_clock& clock) const {
    using namespace std::chrono;
    return epoch_ms + duration_cast<milliseconds>(clock.now() - origin).count();
  }

  /// Delay from `now` until simulated time `at` (never negative).
  static std::chrono::milliseconds until(sim::time_ms now, sim::time_ms at) {
    return std::chrono::milliseconds{at > now ? at - now : 0};
  }
};

} // namespace compactsim::actors
