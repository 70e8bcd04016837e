#pragma once
//! Drives an actor system on CAF's test coordinator as a discrete-event
//! simulator: run every ready message, then jump virtual time to the next
//! timer, until a horizon. Used by the actor tests and the scenario runner.

#include <chrono>
#include <cstdint>

#include <caf/actor_system.hpp>
#include <caf/scheduler/test_coordinator.hpp>

namespace compactsim::actors {

class virtual_time {
public:
  explicit virtual_time(caf::actor_system& sys);

  /// Processes events until virtual time has advanced by `d` (timers due at
  /// exactly the horizon fire). Returns the number of events processed.
  std::uint64_t run_for(std::chrono::milliseconds d);

  /// Processes ready messages without advancing time.
  std::uint64_t drain();

  caf::actor_clock::time_point now() const;

private:
  caf::scheduler::test_coordinator& sched_;
};

/// An actor_system_config for the deterministic scheduler.
void use_test_scheduler(caf::actor_system_config& cfg);

} // namespace compactsim::actors
