#pragma once
//! The Druid coordinator actor: owns the compaction configs and status, and
//! runs the CompactSegments duty every indexing period (after the start
//! delay) or on demand. A run reads the overlord's duty view, then sends it
//! the tasks to submit and cancel in one job.
//!
//!   start ──startDelay──> tick ──indexingPeriod──> tick ...   (duty_atom: a run now)
//!                          │
//!                          └─ duty_view? ──> run ──> exec(submit, cancel) ──> overlord

#include <functional>
#include <memory>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/network.hpp"
#include "actors/sim_clock.hpp"

namespace compactsim::actors {

struct druid_coordinator_state {
  std::shared_ptr<sim::druid::coordinator> model;
  druid_overlord_actor overlord;
  sim_clock clock;
  network net;
  std::uint64_t tick_generation = 0;
  bool running = false;                           ///< a duty run waits for its view
  std::vector<std::function<void()>> queued;      ///< runs asked for meanwhile (one more run serves them)
  sim::time_ms next_run_at = 0;   ///< simulated time of the next scheduled duty run

  static inline const char* name = "druid-coordinator";
};

druid_coordinator_actor::behavior_type druid_coordinator_node(
  druid_coordinator_actor::stateful_pointer<druid_coordinator_state> self,
  std::shared_ptr<sim::druid::coordinator> model, druid_overlord_actor overlord, sim_clock clock, network net);

} // namespace compactsim::actors
