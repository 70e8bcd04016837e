#include "actors/druid/worker_node.hpp"

#include "actors/pause.hpp"

namespace compactsim::actors {

druid_worker_actor::behavior_type druid_worker_node(druid_worker_actor::stateful_pointer<druid_worker_state> self,
                                                    std::string host) {
  self->state.host = std::move(host);
  return {
    [=](peon_atom, const std::string& id, std::int64_t run_ms) -> caf::typed_response_promise<std::string> {
      auto rp = self->make_response_promise<std::string>();
      self->state.running.insert_or_assign(id, rp);
      self->delayed_send(self, std::chrono::milliseconds{run_ms}, task_done_atom::value, id);
      return rp;
    },
    [=](pause_atom, bool on) {
      if (on)
        pause_actor<druid_worker_actor::behavior_type>(self);
    },
    [=](task_done_atom, const std::string& id) {
      auto it = self->state.running.find(id);
      if (it == self->state.running.end())
        return;
      it->second.deliver(id);
      self->state.running.erase(it);
    },
  };
}

} // namespace compactsim::actors
