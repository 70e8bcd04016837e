#include "actors/doris/router.hpp"

#include <caf/sec.hpp>

namespace compactsim::actors {

router_actor::behavior_type router(router_actor::stateful_pointer<router_state> self,
                                   std::vector<backend_actor> backends) {
  self->state.backends = std::move(backends);
  return {
    [=](backend_atom, std::int32_t index) -> caf::result<backend_actor> {
      const auto& bes = self->state.backends;
      if (index < 0 || static_cast<std::size_t>(index) >= bes.size())
        return caf::sec::invalid_argument;
      return bes[static_cast<std::size_t>(index)];
    },
    [=](set_backend_atom, std::int32_t index, backend_actor be) {
      if (index >= 0 && static_cast<std::size_t>(index) < self->state.backends.size())
        self->state.backends[static_cast<std::size_t>(index)] = std::move(be);
    },
  };
}

} // namespace compactsim::actors
