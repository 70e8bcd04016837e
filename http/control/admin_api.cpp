#include "http/control/admin_api.hpp"
#include "http/control/cluster_metrics.hpp"
#include "http/no_answer.hpp"
#include "config/cluster_reader.hpp"
#include "config/fault_reader.hpp"

#include <type_traits>
#include <variant>

#include <boost/json.hpp>

#include "http/druid/task_json.hpp"
#include "http/json_format.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;

namespace {

/// Cluster faults active at once (POST /sim/v1/faults answers 409 beyond).
constexpr std::size_t max_active_faults = 1000;

response json_answer(unsigned status, const json::value& v) { return response::json(status, jackson_json(v)); }

response error(unsigned status, std::string msg) { return json_answer(status, json::object{{"error", msg}}); }

json::object fault_json(const actors::fault_view& f) {
  json::array nodes;
  for (const auto& n : f.nodes)
    nodes.push_back(json::string(n));
  json::object o;
  o["id"] = f.spec.id;
  o["kind"] = sim::to_string(f.spec.kind());
  o["nodes"] = std::move(nodes);
  o["healAt"] = f.heal_at ? json::value(sim::druid::format_instant(*f.heal_at)) : json::value(nullptr);
  namespace faults = sim::faults;
  std::visit(
    [&](const auto& p) {
      using P = std::decay_t<decltype(p)>;
      if constexpr (std::is_same_v<P, faults::slow_disk>) {
        o["factor"] = p.factor;
      } else if constexpr (std::is_same_v<P, faults::compaction_failure> || std::is_same_v<P, faults::task_failure> ||
                           std::is_same_v<P, faults::drop> || std::is_same_v<P, faults::duplicate>) {
        o["probability"] = p.probability;
      } else if constexpr (std::is_same_v<P, faults::delay>) {
        o["delayMs"] = p.delay;
        o["jitterMs"] = p.jitter;
      } else if constexpr (std::is_same_v<P, faults::clock_skew>) {
        o["skewMs"] = p.skew;
      } else if constexpr (std::is_same_v<P, faults::partition>) {
        if (!f.groups.empty()) { // the groups as resolved to nodes
          json::array groups;
          for (const auto& g : f.groups)
            groups.push_back(json::array(g.begin(), g.end()));
          o["groups"] = std::move(groups);
          o["oneWay"] = p.one_way;
        }
      } else if constexpr (std::is_same_v<P, faults::corrupt_delete_bitmap>) {
        o["table"] = p.table;
        o["rows"] = p.rows;
      }
    },
    f.spec.params);
  return o;
}

json::object state_json(const actors::cluster_state& s) {
  json::array backends;
  for (const auto& b : s.backends) {
    json::object o{{"be", b.be}, {"backend_id", b.backend_id}, {"up", b.up}};
    if (b.remote)
      o["remote"] = true;
    if (b.up) {
      o["replicas"] = b.replicas;
      if (b.running_compactions)
        o["running_compactions"] = *b.running_compactions;
      o["max_version_count"] = b.max_version_count;
      o["max_cumulative_score"] = b.max_cumulative_score;
      o["max_base_score"] = b.max_base_score;
      o["rejected_loads"] = b.rejected_loads;
    }
    backends.push_back(std::move(o));
  }
  json::array items;
  for (const auto& t : s.tablets) {
    json::array running;
    for (auto type : {sim::compaction_type::cumulative, sim::compaction_type::base, sim::compaction_type::full})
      if (t.running & sim::running_bit(type))
        running.push_back(json::string(sim::to_string(type)));
    items.push_back(json::object{{"tablet_id", t.tablet_id}, {"table_id", t.table_id}, {"be", t.be},
                                 {"versions", t.versions}, {"cumulative_score", t.cumulative_score},
                                 {"base_score", t.base_score}, {"duplicates", t.duplicates},
                                 {"running", std::move(running)}});
  }
  json::array datasources;
  for (const auto& d : s.datasources)
    datasources.push_back(json::object{
      {"dataSource", d.name}, {"segments", d.segments}, {"bytes", d.bytes},
      {"latest", d.latest ? json::value(sim::druid::format_instant(*d.latest)) : json::value(nullptr)}});
  json::array tasks;
  for (const auto& t : s.tasks)
    tasks.push_back(task_status_json(t));
  json::array faults;
  for (const auto& f : s.faults)
    faults.push_back(json::object{
      {"id", f.spec.id}, {"kind", sim::to_string(f.spec.kind())}, {"nodes", json::array(f.nodes.begin(), f.nodes.end())}});
  json::object o;
  o["now"] = sim::druid::format_instant(s.now);
  o["speed"] = s.speed;
  o["backends"] = std::move(backends);
  o["tablets"] = json::object{
    {"total", s.tablets_total}, {"offset", s.offset}, {"limit", s.limit}, {"items", std::move(items)}};
  o["datasources"] = std::move(datasources);
  o["tasks"] = std::move(tasks);
  o["faults"] = std::move(faults);
  return o;
}

/// GET /readyz: ready when every node answered its probe within the bound;
/// otherwise 503 with the first node that did not.
void handle_readyz(actors::control_service& svc, responder r) {
  svc.health([r](actors::reply<std::vector<actors::node_health>> h) {
    if (!h.ok())
      return r(error(no_answer_status, h.error));
    json::array nodes;
    std::string reason;
    for (const auto& n : *h.value) {
      nodes.push_back(json::object{{"node", n.node}, {"ready", n.ready}, {"reason", n.reason}});
      if (!n.ready && reason.empty())
        reason = n.node + ": " + n.reason;
    }
    json::object o;
    o["status"] = reason.empty() ? "ready" : "not ready";
    if (!reason.empty())
      o["reason"] = reason;
    o["nodes"] = std::move(nodes);
    r(json_answer(reason.empty() ? 200 : 503, o));
  });
}

/// The cluster's faults: inject one, list, heal all, heal one.
void add_fault_routes(route_table& t, actors::control_service& svc) {
  t.add("POST", "/sim/v1/faults", [&svc](const call& c, responder r) {
    boost::system::error_code ec;
    auto body = json::parse(c.req.body, ec);
    if (ec)
      return r(error(400, "the body is not JSON: " + ec.message()));
    sim::fault_spec f;
    std::string why;
    if (!config::parse_fault(body, "fault", f, why))
      return r(error(400, why));
    // A target that names no node is a mistake, not a fault on nothing.
    if (auto bad = sim::unmatched_target(f, svc.nodes()); !bad.empty())
      return r(error(400, "fault.target: " + bad));
    // Each active fault holds a timer and a row of state: bounded, as every
    // table a request can grow.
    if (svc.faults().size() >= max_active_faults)
      return r(error(409, "too many active faults (at most " + std::to_string(max_active_faults) +
                            "): heal some first"));
    r(json_answer(201, fault_json(svc.inject(std::move(f)))));
  });
  t.add("GET", "/sim/v1/faults", [&svc](const call&, responder r) {
    json::array list;
    for (const auto& f : svc.faults())
      list.push_back(fault_json(f));
    r(json_answer(200, json::object{{"faults", std::move(list)}}));
  });
  t.add("DELETE", "/sim/v1/faults", [&svc](const call&, responder r) {
    json::array healed;
    for (const auto& id : svc.heal_all())
      healed.push_back(json::string(id));
    r(json_answer(200, json::object{{"healed", std::move(healed)}}));
  });
  t.add("DELETE", "/sim/v1/faults/{id}", [&svc](const call& c, responder r) {
    const auto& id = c.captures.at("id");
    if (!svc.heal(id))
      return r(error(404, "no active fault '" + id + "'"));
    r(json_answer(200, json::object{{"healed", json::array{json::string(id)}}}));
  });
}

/// The HTTP faults (rules on the listeners' requests): add, list, clear, remove one.
void add_http_fault_routes(route_table& t, http_fault_table& http_faults) {
  t.add("POST", "/sim/v1/http-faults", [&http_faults](const call& c, responder r) {
    boost::system::error_code ec;
    auto body = json::parse(c.req.body, ec);
    if (ec)
      return r(error(400, "the body is not JSON: " + ec.message()));
    std::string why;
    auto rule = parse_http_fault(body, why);
    if (!rule)
      return r(error(400, why));
    auto added = http_faults.add(*rule);
    if (!added)
      return r(error(409, "too many HTTP fault rules (at most " + std::to_string(http::http_fault_table::max_rules) +
                            "): delete some first"));
    r(json_answer(201, added->to_json()));
  });
  t.add("GET", "/sim/v1/http-faults", [&http_faults](const call&, responder r) {
    json::array list;
    for (const auto& rule : http_faults.rules())
      list.push_back(rule.to_json());
    r(json_answer(200, json::object{{"rules", std::move(list)}}));
  });
  t.add("DELETE", "/sim/v1/http-faults", [&http_faults](const call&, responder r) {
    json::array ids;
    for (const auto& id : http_faults.clear())
      ids.push_back(json::string(id));
    r(json_answer(200, json::object{{"removed", std::move(ids)}}));
  });
  t.add("DELETE", "/sim/v1/http-faults/{id}", [&http_faults](const call& c, responder r) {
    const auto& id = c.captures.at("id");
    if (!http_faults.remove(id))
      return r(error(404, "no http fault rule '" + id + "'"));
    r(json_answer(200, json::object{{"removed", json::array{json::string(id)}}}));
  });
}

/// GET /sim/v1/state?offset=&limit=: the cluster's state, a page of its tablets.
void handle_state(actors::control_service& svc, const call& c, responder r) {
  auto number = [&](std::string_view key, std::size_t fallback) -> std::optional<std::size_t> {
    auto raw = c.param(key);
    if (!raw)
      return fallback;
    try {
      std::size_t used = 0;
      auto v = std::stoull(*raw, &used);
      return used == raw->size() ? std::optional<std::size_t>{v} : std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  auto offset = number("offset", 0), limit = number("limit", 100);
  if (!offset || !limit || *limit > 100'000)
    return r(error(400, "offset and limit are non-negative integers (limit at most 100000)"));
  svc.state(*offset, *limit, [r](actors::reply<actors::cluster_state> s) {
    r(s.ok() ? json_answer(200, state_json(*s.value)) : error(no_answer_status, s.error));
  });
}

/// POST /sim/v1/ingest: loads into a Doris table and/or segments into a
/// Druid datasource, now.
void handle_ingest(actors::control_service& svc, const call& c, responder r) {
  boost::system::error_code ec;
  auto body = json::parse(c.req.body, ec);
  if (ec || !body.is_object())
    return r(error(400, R"(expected {"doris": {"table": N, "loads": N}} or {"druid": {"dataSource": "...", "segments": N}})"));
  auto count = [](const json::object& o, std::string_view key, std::int64_t fallback, std::int64_t max) -> std::optional<std::int64_t> {
    auto* v = o.if_contains(key);
    if (!v)
      return fallback;
    if (!v->is_int64() || v->get_int64() < 1 || v->get_int64() > max)
      return std::nullopt;
    return v->get_int64();
  };
  json::object done;
  if (auto* d = body.as_object().if_contains("doris"); d && d->is_object()) {
    const auto& o = d->as_object();
    auto loads = count(o, "loads", 1, 10'000);
    const auto* del = o.if_contains("delete");
    if (!o.contains("table") || !o.at("table").is_int64() || !loads || (del && !del->is_bool()))
      return r(error(400, "doris: expected {\"table\": id, \"loads\": 1..10000, \"delete\": false}"));
    bool is_delete = del && del->get_bool();
    if (!svc.ingest_doris(o.at("table").get_int64(), static_cast<int>(*loads), is_delete))
      return r(error(404, "no table " + std::to_string(o.at("table").get_int64())));
    done["doris"] = json::object{{"table", o.at("table")}, {"loads", *loads}, {"delete", is_delete}};
  }
  if (auto* d = body.as_object().if_contains("druid"); d && d->is_object()) {
    const auto& o = d->as_object();
    auto segments = count(o, "segments", 1, 10'000), rows = count(o, "rows", 1000, INT64_MAX / 2),
         bytes = count(o, "bytes", 100'000, INT64_MAX / 2);
    if (!o.contains("dataSource") || !o.at("dataSource").is_string() || !segments || !rows || !bytes)
      return r(error(400, "druid: expected {\"dataSource\": name, \"segments\": 1..10000, \"rows\", \"bytes\"}"));
    std::string ds{o.at("dataSource").get_string()};
    if (!svc.ingest_druid(ds, static_cast<int>(*segments), *rows, *bytes))
      return r(error(404, "the Druid side is disabled"));
    done["druid"] = json::object{{"dataSource", ds}, {"segments", *segments}};
  }
  if (done.empty())
    return r(error(400, R"(expected {"doris": {...}} and/or {"druid": {...}})"));
  r(json_answer(202, done));
}

/// GET and POST /sim/v1/clock: the simulated time and its speed.
void add_clock_routes(route_table& t, actors::control_service& svc) {
  auto clock_view = [&svc]() {
    json::object o;
    o["speed"] = svc.speed();
    o["now"] = sim::druid::format_instant(svc.now());
    return json_answer(200, o);
  };
  t.add("GET", "/sim/v1/clock", [clock_view](const call&, responder r) { r(clock_view()); });
  t.add("POST", "/sim/v1/clock", [&svc, clock_view](const call& c, responder r) {
    boost::system::error_code ec;
    auto body = json::parse(c.req.body, ec);
    const json::value* speed = !ec && body.is_object() ? body.as_object().if_contains("speed") : nullptr;
    // The bounds of serve --speed: a vanishing speed would turn every timer
    // into a busy loop of clamped delays.
    if (!speed || !speed->is_number() || !(speed->to_number<double>() >= 0.001) || speed->to_number<double>() > 1e6)
      return r(error(400, "expected {\"speed\": a number in [0.001, 1000000]}"));
    svc.set_speed(speed->to_number<double>());
    r(clock_view());
  });
}

/// POST /sim/v1/reset; the HTTP fault rules go with the old cluster.
void handle_reset(actors::control_service& svc, http_fault_table& http_faults, const call& c, responder r) {
  // Back to the cluster the server started with, or to {"cluster": {...}}
  // (the cluster-config format), without a restart.
  std::optional<sim::cluster_config> config;
  if (c.req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    boost::system::error_code ec;
    auto body = json::parse(c.req.body, ec);
    // A body that is not {"cluster": {...}} alone is a mistake, not a
    // request for the initial cluster: refuse it, state unchanged.
    if (ec || !body.is_object() || body.as_object().size() != 1 || !body.as_object().contains("cluster"))
      return r(error(400, "expected an empty body or {\"cluster\": {...}}"));
    std::string why;
    config = config::parse_cluster_config(body.as_object().at("cluster"), why);
    if (!config)
      return r(error(400, "cluster: " + why));
  }
  std::string why;
  if (!svc.reset(config, why))
    return r(error(409, why));
  http_faults.clear();
  r(json_answer(200, json::object{{"reset", true}, {"now", sim::druid::format_instant(svc.now())}}));
}

} // namespace

route_table make_admin_routes(actors::control_service& svc, http_fault_table& http_faults,
                              const request_metrics* http_metrics) {
  route_table t;
  t.add("GET", "/healthz", [](const call&, responder r) { r(json_answer(200, json::object{{"status", "ok"}})); });
  t.add("GET", "/readyz", [&svc](const call&, responder r) { handle_readyz(svc, std::move(r)); });
  add_fault_routes(t, svc);
  add_http_fault_routes(t, http_faults);
  t.add("GET", "/sim/v1/state", [&svc](const call& c, responder r) { handle_state(svc, c, std::move(r)); });
  t.add("POST", "/sim/v1/ingest", [&svc](const call& c, responder r) { handle_ingest(svc, c, std::move(r)); });
  add_clock_routes(t, svc);
  t.add("POST", "/sim/v1/reset", [&svc, &http_faults](const call& c, responder r) {
    handle_reset(svc, http_faults, c, std::move(r));
  });
  t.add("GET", "/metrics", [&svc, http_metrics](const call&, responder r) {
    svc.metrics([r, http_metrics](actors::reply<actors::cluster_metrics> m) {
      if (!m.ok())
        return r(error(no_answer_status, m.error));
      auto families = cluster_families(*m.value);
      if (http_metrics)
        for (auto& f : http_metrics->families())
          families.push_back(std::move(f));
      response out{200, "text/plain; version=0.0.4; charset=utf-8", prometheus::render(families), {}};
      r(std::move(out));
    });
  });
  t.not_found = error(404, "not found");
  t.method_not_allowed = error(405, "method not allowed");
  return t;
}

} // namespace compactsim::http
