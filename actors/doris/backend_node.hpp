#pragma once
//! The backend-node actor: a thin shell over sim::backend_model that turns
//! the model's "started" and "finishes at" answers into timed messages.
//!
//!   producer:  tick --produce()--> tasks started --done@finish_at--> finish()
//!                \-- idle: sleep producer_idle_sleep_ms, a finished task wakes it
//!   manual run: run --prepare--> promise; answered by done (result) or
//!               waited (after manual_compaction_wait_ms: Success, keeps running)

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include <caf/typed_response_promise.hpp>

#include "actors/interfaces.hpp"
#include "actors/sim_clock.hpp"
#include "sim/doris/backend.hpp"

namespace compactsim::actors {

struct backend_state {
  std::shared_ptr<sim::backend_model> model; ///< outlives the actor: a restarted BE finds its rowsets
  sim_clock clock;
  std::uint64_t producer_generation = 0;   ///< ticks of older generations are stale
  bool producer_sleeping = false;
  std::map<std::uint64_t, caf::typed_response_promise<sim::status>> waiting; ///< task -> manual caller
  std::uint64_t next_queued_wait = 0; ///< keys of waits for a queued full compaction
  backend_stats stats;

  static inline const char* name = "backend";
};

/// Spawnable behavior over `model`, which the actor shares with whoever
/// restarts it after a crash.
backend_actor::behavior_type backend_node(backend_actor::stateful_pointer<backend_state> self,
                                          std::shared_ptr<sim::backend_model> model, sim_clock clock);

} // namespace compactsim::actors
