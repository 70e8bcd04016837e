#pragma once
//! The router actor: maps each HTTP listener (a backend index) to the
//! backend actor that answers it.

#include <vector>

#include "actors/interfaces.hpp"

namespace compactsim::actors {

struct router_state {
  std::vector<backend_actor> backends;
  static inline const char* name = "router";
};

router_actor::behavior_type router(router_actor::stateful_pointer<router_state> self,
                                   std::vector<backend_actor> backends);

} // namespace compactsim::actors
