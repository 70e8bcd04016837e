#pragma once
//! One-shot timers on the actor clock for code outside actors (the control
//! API's timed heals, HTTP latency faults). Every pending timer is stopped
//! when the pool is, so none fires into objects that are gone and none keeps
//! the actor system from shutting down.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace compactsim::actors {

class timer_pool : public std::enable_shared_from_this<timer_pool> {
public:
  explicit timer_pool(caf::actor_system& sys) : sys_(sys) {}
  ~timer_pool() { stop_all(); }

  /// Runs `fn` on an actor thread after `delay`, unless the pool stops first.
  void after(std::chrono::milliseconds delay, std::function<void()> fn);
  /// Stops every pending timer; later after() calls are ignored.
  void stop_all();
  /// Stops every pending timer; later after() calls run as usual.
  void cancel_pending();
  /// Timers waiting to fire.
  std::size_t pending() const;

private:
  void done(std::uint64_t id);

  caf::actor_system& sys_;
  mutable std::mutex mutex_;
  std::map<std::uint64_t, caf::actor> pending_;
  std::uint64_t next_ = 1;
  bool stopped_ = false;
};

} // namespace compactsim::actors
