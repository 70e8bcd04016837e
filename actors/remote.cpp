#include "actors/remote.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <caf/io/middleman.hpp>

namespace compactsim::actors {

namespace json = boost::json;

void enable_remote(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  cfg.add_message_type<sim::status>("compactsim::status");
  cfg.add_message_type<sim::load_spec>("compactsim::load_spec");
  cfg.add_message_type<backend_stats>("compactsim::backend_stats");
  cfg.add_message_type<backend_actor>("compactsim::backend_actor");
}

std::string to_json(const join_offer& o) {
  json::array slots;
  for (auto s : o.slots)
    slots.push_back(s);
  return json::serialize(json::object{{"config", o.config_text}, {"seed", o.seed}, {"epoch", o.epoch_ms},
                                      {"now", o.now_ms}, {"speed", o.speed}, {"slots", std::move(slots)}});
}

std::optional<join_offer> parse_join_offer(const std::string& text, std::string& error) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    error = "the offer is not a JSON object";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  if (auto* e = o.if_contains("error"); e && e->is_string()) {
    error = std::string{e->get_string()};
    return std::nullopt;
  }
  try {
    join_offer out;
    out.config_text = std::string{o.at("config").as_string()};
    out.seed = o.at("seed").to_number<std::uint64_t>();
    out.epoch_ms = o.at("epoch").to_number<std::int64_t>();
    out.now_ms = o.at("now").to_number<std::int64_t>();
    out.speed = o.at("speed").to_number<double>();
    for (const auto& s : o.at("slots").as_array())
      out.slots.push_back(s.to_number<std::int32_t>());
    return out;
  } catch (const std::exception& e) {
    error = std::string{"malformed offer: "} + e.what();
    return std::nullopt;
  }
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
    // A node that died before attaching gives its offered slots back.
    for (auto it = st.reserved.begin(); it != st.reserved.end();)
      it = it->second == down.source ? st.reserved.erase(it) : std::next(it);
  });
  return {
    [=](join_atom, std::int32_t count) -> std::string {
      auto& st = self->state;
      auto offer = st.offer;
      offer.slots.clear();
      for (auto slot : st.offer.slots)
        if (static_cast<std::int32_t>(offer.slots.size()) < count && !st.hosted.count(slot) && !st.reserved.count(slot))
          offer.slots.push_back(slot);
      if (count < 1 || static_cast<std::int32_t>(offer.slots.size()) < count)
        return json::serialize(json::object{
          {"error", "asked for " + std::to_string(count) + " backends; " + std::to_string(offer.slots.size()) +
                      " remote slots are free (serve --remote-backends sets how many there are)"}});
      auto node = caf::actor_cast<caf::actor>(self->current_sender());
      if (node)
        self->monitor(node);
      for (auto slot : offer.slots)
        st.reserved[slot] = node ? node.address() : caf::actor_addr{};
      offer.now_ms = st.clock.now(self->clock());
      offer.speed = st.clock.speed();
      return to_json(offer);
    },
    [=](attach_atom, std::int32_t slot, const backend_actor& be) {
      auto& st = self->state;
      if (std::find(st.offer.slots.begin(), st.offer.slots.end(), slot) == st.offer.slots.end() || !be)
        return false;
      st.reserved.erase(slot);
      st.hosted[slot] = be.address();
      self->monitor(be);
      st.hooks.attached(slot, be, caf::actor_cast<caf::actor>(self->current_sender()));
      return true;
    },
  };
}

} // namespace compactsim::actors
