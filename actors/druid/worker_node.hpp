#pragma once
//! A Druid worker (MiddleManager) actor: the peons of the tasks the
//! overlord assigned to it. Slots are counted by the overlord, as Druid's
//! task runner does; the worker's part is to run each task for its time and
//! report back, or, when it is stopped, to take its tasks down with it.

#include <map>
#include <string>

#include "actors/interfaces.hpp"

namespace compactsim::actors {

struct druid_worker_state {
  std::string host;
  std::map<std::string, caf::typed_response_promise<std::string>> running;

  static inline const char* name = "druid-worker";
};

druid_worker_actor::behavior_type druid_worker_node(druid_worker_actor::stateful_pointer<druid_worker_state> self,
                                                    std::string host);

} // namespace compactsim::actors
