#pragma once
//! Drives an actor system on CAF's test coordinator as a discrete-event
//! simulator: run every ready message, then jump virtual time to the next
//! timer, until a horizon. Used by the actor tests and the scenario runner.

#include <chrono>
#include <cstdint>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scheduler/test_coordinator.hpp>

namespace compactsim::actors {

/// Thrown when simulated time stops advancing: more events at one instant
/// than the bound (a zero interval, or actors messaging each other forever).
/// A run fails clearly instead of spinning.
struct stalled_time : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Thrown when a run has processed more events than its work bound.
struct work_bound_exceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class virtual_time {
public:
  /// Events at one instant beyond which time counts as stalled. The busiest
  /// shipped run (W1 at full size) handles about a million at its start.
  static constexpr std::uint64_t default_stall_bound = 50'000'000;

  explicit virtual_time(caf::actor_system& sys, std::uint64_t stall_bound = default_stall_bound);

  /// Processes events until virtual time has advanced by `d` (timers due at
  /// exactly the horizon fire). Returns the number of events processed.
  std::uint64_t run_for(std::chrono::milliseconds d);

  /// Processes ready messages without advancing time.
  std::uint64_t drain();

  caf::actor_clock::time_point now() const;

  /// Events processed so far beyond which run_for and drain throw
  /// work_bound_exceeded; 0: no bound.
  void set_work_bound(std::uint64_t max_events) { max_events_ = max_events; }

private:
  /// Runs ready messages; throws stalled_time past the bound at this instant.
  std::uint64_t run_ready();

  caf::scheduler::test_coordinator& sched_;
  std::uint64_t stall_bound_;
  caf::actor_clock::time_point instant_{};  ///< the instant being counted
  std::uint64_t at_instant_ = 0;            ///< events run at it
  std::uint64_t max_events_ = 0;            ///< the work bound; 0: none
  std::uint64_t total_ = 0;                 ///< events run so far
};

/// An actor_system_config for the deterministic scheduler.
void use_test_scheduler(caf::actor_system_config& cfg);

} // namespace compactsim::actors
