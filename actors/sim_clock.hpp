#pragma once
//! Simulated time as the actors see it: milliseconds since the Unix epoch,
//! derived from CAF's actor clock. On the live scheduler that clock is the
//! steady clock; on the test coordinator it is virtual, so the same actors
//! run a day of cluster life in seconds. Live, simulated time may also run
//! faster than the wall clock (`speed`): every actor shares one clock state,
//! and every delay in simulated time goes through delay() to become real.

#include <atomic>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>

#include <caf/actor_clock.hpp>

#include "sim/core/time.hpp"

namespace compactsim::actors {

class sim_clock {
public:
  sim_clock() : state_(std::make_shared<state>()) {}
  sim_clock(sim::time_ms epoch_ms, caf::actor_clock::time_point origin) : state_(std::make_shared<state>()) {
    state_->epoch_ms = state_->epoch0 = epoch_ms;
    state_->origin = state_->origin0 = origin;
  }

  /// Simulated time now.
  sim::time_ms now(const caf::actor_clock& clock) const {
    // Until the speed first changes, time is epoch + elapsed and needs no
    // lock (the scenario runner and most live runs never change it).
    if (!state_->rebased.load(std::memory_order_acquire))
      return state_->epoch0 + std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - state_->origin0).count();
    std::lock_guard<std::mutex> guard{state_->mutex};
    return at(*state_, clock.now());
  }

  /// A real delay never goes past this: a century fits the actor clock's
  /// nanoseconds, and a timer that far out never fires in any run.
  static constexpr sim::time_ms max_delay_ms = 100LL * 365 * 86'400'000;

  /// The real delay after which `sim_ms` of simulated time will have passed.
  std::chrono::milliseconds delay(sim::time_ms sim_ms) const {
    auto clamp = [](double ms) {
      return std::chrono::milliseconds{static_cast<sim::time_ms>(std::clamp(ms, 0.0, double(max_delay_ms)))};
    };
    if (!state_->rebased.load(std::memory_order_acquire))
      return clamp(static_cast<double>(sim_ms));
    std::lock_guard<std::mutex> guard{state_->mutex};
    if (state_->speed == 1.0 || sim_ms <= 0)
      return clamp(static_cast<double>(sim_ms));
    return clamp(std::ceil(static_cast<double>(sim_ms) / state_->speed));
  }
  std::chrono::milliseconds delay(std::chrono::milliseconds sim) const { return delay(sim.count()); }

  /// Delay from `now` until simulated time `at` (never negative).
  std::chrono::milliseconds until(sim::time_ms now, sim::time_ms at) const { return delay(at > now ? at - now : 0); }

  /// Simulated time runs `speed` times as fast as the actor clock from now on.
  void set_speed(double speed, const caf::actor_clock& clock) const {
    std::lock_guard<std::mutex> guard{state_->mutex};
    auto real = clock.now();
    state_->epoch_ms = at(*state_, real);
    state_->origin = real;
    state_->speed = speed;
    state_->rebased.store(true, std::memory_order_release);
  }
  double speed() const {
    std::lock_guard<std::mutex> guard{state_->mutex};
    return state_->speed;
  }

private:
  struct state {
    sim::time_ms epoch0 = 0;                  ///< the start, never written again
    caf::actor_clock::time_point origin0{};
    std::atomic<bool> rebased{false};         ///< the speed has been set since the start
    std::mutex mutex;
    sim::time_ms epoch_ms = 0;                ///< simulated time at `origin`
    caf::actor_clock::time_point origin{};    ///< actor-clock time of the last rebase
    double speed = 1.0;
  };

  static sim::time_ms at(const state& s, caf::actor_clock::time_point real) {
    using namespace std::chrono;
    auto elapsed = duration_cast<milliseconds>(real - s.origin).count();
    if (s.speed == 1.0)
      return s.epoch_ms + elapsed;
    return s.epoch_ms + static_cast<sim::time_ms>(std::llround(static_cast<double>(elapsed) * s.speed));
  }

  std::shared_ptr<state> state_;
};

} // namespace compactsim::actors
