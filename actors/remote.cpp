#include "actors/remote.hpp"

#include <algorithm>

#include <caf/io/middleman.hpp>

namespace compactsim::actors {

void enable_remote(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  cfg.add_message_type<sim::status>("compactsim::status");
  cfg.add_message_type<sim::load_spec>("compactsim::load_spec");
  cfg.add_message_type<std::vector<std::int64_t>>("compactsim::tables");
  cfg.add_message_type<std::vector<sim::status>>("compactsim::statuses");
  cfg.add_message_type<std::vector<sim::table_load>>("compactsim::table_loads");
  cfg.add_message_type<backend_stats>("compactsim::backend_stats");
  cfg.add_message_type<backend_fault>("compactsim::backend_fault");
  cfg.add_message_type<backend_actor>("compactsim::backend_actor");
  cfg.add_message_type<join_offer>("compactsim::join_offer");
}

caf::behavior node_registry(caf::stateful_actor<registry_state>* self, join_offer offer, sim_clock clock,
                            registry_hooks hooks) {
  self->state.offer = std::move(offer);
  self->state.clock = clock;
  self->state.hooks = std::move(hooks);
  self->set_down_handler([=](caf::down_msg& down) {
    auto& st = self->state;
    for (auto it = st.hosted.begin(); it != st.hosted.end();)
      if (it->second == down.source) {
        st.hooks.detached(it->first);
        it = st.hosted.erase(it);
      } else {
        ++it;
      }
    // A node process that died gives its slots back for the next one.
    std::erase_if(st.owner, [&](const auto& kv) { return kv.second == down.source; });
  });
  return {
    [=](join_atom, std::int32_t count) -> caf::result<join_offer> {
      auto& st = self->state;
      auto offer = st.offer;
      offer.slots.clear();
      for (auto slot : st.offer.slots)
        if (static_cast<std::int32_t>(offer.slots.size()) < count && !st.owner.count(slot))
          offer.slots.push_back(slot);
      if (count < 1 || static_cast<std::int32_t>(offer.slots.size()) < count)
        return caf::make_error(caf::sec::runtime_error,
                               "asked for " + std::to_string(count) + " backends; " +
                                 std::to_string(offer.slots.size()) +
                                 " remote slots are free (serve --remote-backends sets how many there are)");
      auto node = caf::actor_cast<caf::actor>(self->current_sender());
      if (!node)
        return caf::make_error(caf::sec::runtime_error, "a join needs a sender to answer");
      self->monitor(node);
      for (auto slot : offer.slots)
        st.owner[slot] = node.address();
      offer.now_ms = st.clock.now(self->clock());
      offer.speed = st.clock.speed();
      return offer;
    },
    [=](attach_atom, std::int32_t slot, const backend_actor& be) {
      auto& st = self->state;
      auto owner = st.owner.find(slot);
      const auto& sender = self->current_sender();
      // Only the process the slot was offered to attaches there.
      if (!be || !sender || owner == st.owner.end() || owner->second.node() != sender->node() ||
          be.node() != sender->node())
        return false;
      st.hosted[slot] = be.address();
      self->monitor(be);
      st.hooks.attached(slot, be, caf::actor_cast<caf::actor>(sender));
      return true;
    },
  };
}

} // namespace compactsim::actors
