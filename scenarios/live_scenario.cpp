#include "scenarios/live_scenario.hpp"

#include <charconv>

#include <boost/json.hpp>
#include <caf/send.hpp>

#include "sim/druid/config.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

bool apply_druid_setup(const scenario& sc, sim::druid::coordinator& c, time_ms now, std::string& error) {
  sim::druid::audit_info who{"scenario", sc.name, "127.0.0.1"};
  for (const auto& o : sc.druid_compaction) {
    auto cfg = sim::druid::parse_datasource_config(o, error);
    if (!cfg)
      return false;
    c.configs().upsert(*cfg, who, now);
  }
  if (sc.druid_slot_ratio || sc.druid_max_slots)
    c.configs().set_cluster({sc.druid_slot_ratio, sc.druid_max_slots, std::nullopt, std::nullopt}, who, now);
  return true;
}

bool apply_live(const scenario& sc, actors::live_control& control, json::object& out, std::string& error) {
  // Check the Druid configs before anything changes.
  for (std::size_t i = 0; i < sc.druid_compaction.size(); ++i)
    if (!sim::druid::parse_datasource_config(sc.druid_compaction[i], error)) {
      error = "cluster.druid.compaction[" + std::to_string(i) + "]: " + error;
      return false;
    }
  if (!control.reset(sc.cluster, error))
    return false;
  auto cluster = control.current();
  if (cluster->druid_coordinator) {
    // The coordinator's typed requests, in order from this sender.
    sim::druid::audit_info who{"scenario", sc.name, "127.0.0.1"};
    std::string ignored; // checked above
    for (const auto& o : sc.druid_compaction)
      if (auto cfg = sim::druid::parse_datasource_config(o, ignored))
        caf::anon_send(cluster->druid_coordinator, actors::config_put_atom::value, std::move(*cfg), who);
    if (sc.druid_slot_ratio || sc.druid_max_slots)
      caf::anon_send(cluster->druid_coordinator, actors::slots_atom::value,
                     sim::druid::cluster_update{sc.druid_slot_ratio, sc.druid_max_slots, std::nullopt, std::nullopt}, who);
  }
  json::array scheduled;
  std::size_t skipped = 0;
  std::weak_ptr<actors::live_control> weak = control.weak_from_this();
  for (const auto& s : sc.steps) {
    if (s.at_end || (s.kind != step_kind::fault && s.kind != step_kind::heal)) {
      ++skipped;
      continue;
    }
    json::object item{{"at", format_duration(s.at)}};
    if (s.kind == step_kind::fault) {
      item["fault"] = sim::to_string(s.fault.kind());
      if (!s.fault.id.empty())
        item["id"] = s.fault.id;
      control.at(s.at, [weak, f = s.fault] {
        if (auto c = weak.lock())
          c->inject(f);
      });
    } else {
      item["heal"] = s.heal;
      control.at(s.at, [weak, id = s.heal] {
        if (auto c = weak.lock())
          id == "all" ? (void)c->heal_all() : (void)c->heal(id);
      });
    }
    scheduled.push_back(std::move(item));
  }
  if (sc.live) {
    scheduled.push_back(json::object{{"at", format_duration(sc.live->heal_at)}, {"heal", "all"}});
    control.at(sc.live->heal_at, [weak] {
      if (auto c = weak.lock())
        c->heal_all();
    });
  }
  out["name"] = sc.name;
  out["seed"] = sc.cluster.seed;
  out["now"] = sim::druid::format_instant(control.now());
  out["scheduled"] = std::move(scheduled);
  out["skipped"] = skipped;
  return true;
}

void add_scenario_route(http::route_table& routes, actors::live_control& control, http::http_fault_table* http_faults) {
  routes.add("POST", "/sim/v1/scenario", [&control, http_faults](const http::call& c, http::responder r) {
    auto answer = [&r](unsigned status, json::object o) {
      r(http::response::json(status, json::serialize(o)));
    };
    std::optional<std::uint64_t> seed;
    if (auto text = c.param("seed")) {
      std::uint64_t value = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc{} || end != text->data() + text->size())
        return answer(400, {{"error", "seed: expected a non-negative integer"}});
      seed = value;
    }
    std::string error;
    auto sc = parse_scenario(c.req.body, seed, error);
    if (!sc)
      return answer(400, {{"error", error}});
    json::object out;
    if (!apply_live(*sc, control, out, error))
      return answer(409, {{"error", error}});
    if (http_faults)
      http_faults->clear();
    answer(200, std::move(out));
  });
}

} // namespace compactsim::scenarios
