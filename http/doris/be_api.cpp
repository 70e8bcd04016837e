#include "http/doris/be_api.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <memory>

#include <boost/json.hpp>

#include "http/doris/be_answers.hpp"
#include "http/doris/be_info_api.hpp"
#include "http/json_format.hpp"
#include "http/no_answer.hpp"
#include "http/prometheus.hpp"
#include "sim/doris/format.hpp"

namespace compactsim::http {

namespace json = boost::json;
using sim::api_profile;

namespace {

/// The single place where a Doris result becomes an HTTP body. Doris answers
/// these handlers with 200 whatever happened.
response doris_error(api_profile p, const std::string& status_2_1, const std::string& msg_2_1,
                     const std::string& msg_docs) {
  json::object o;
  o["status"] = p == api_profile::v2_1 ? status_2_1 : std::string{"Fail"};
  o["msg"] = p == api_profile::v2_1 ? msg_2_1 : msg_docs;
  return response::json(200, pretty_json(o));
}

response service_error(const std::string& what) {
  return response::json(no_answer_status, doris::status_json("INTERNAL_ERROR", what));
}

/// An id parameter: nullopt when absent (or empty), `malformed` when the
/// profile's parser refuses it. `shown` is the id as Doris prints it back.
struct id_param {
  std::optional<std::int64_t> value;
  bool malformed = false;
  std::uint64_t shown = 0;
};

/// The docs profile reads a plain non-negative integer. Doris 2.1 and 3.0
/// call std::stoull (CompactionAction::_check_param): a numeric prefix is
/// enough and "-1" wraps to 18446744073709551615, which names no tablet.
id_param parse_id(const call& c, std::string_view key, api_profile p) {
  auto raw = c.param(key);
  if (!raw || raw->empty())
    return {};
  if (p != api_profile::docs) {
    auto v = doris::stoull(*raw);
    if (!v)
      return {std::nullopt, true};
    return {doris::model_id(*v), false, *v};
  }
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc{} || ptr != raw->data() + raw->size() || v < 0)
    return {std::nullopt, true};
  return {v, false, static_cast<std::uint64_t>(v)};
}

std::string triggered(api_profile p, std::int64_t table, std::int64_t tablet) {
  if (p == api_profile::docs)
    return R"({"status": "Success", "msg": "compaction task is successfully triggered."})";
  return R"({"status": "Success", "msg": "compaction task is successfully triggered. Table id: )" +
         std::to_string(table) + ". Tablet id: " + std::to_string(tablet) + "\"}";
}

response compaction_failed(api_profile p, const sim::status& st) {
  return doris_error(p, sim::code_name(st.code), st.msg,
                     "fail to execute compaction, error = " + std::to_string(sim::numeric_code(st.code)));
}

void handle_run(actors::doris_service& svc, int be, const call& c, responder respond) {
  auto p = svc.profile();
  auto tablet = parse_id(c, "tablet_id", p);
  auto table = parse_id(c, "table_id", p);
  if (tablet.malformed || table.malformed) {
    auto which = tablet.malformed ? "tablet_id" : "table_id";
    auto msg = std::string{"convert "} + which + " failed, stoull";
    return respond(doris_error(p, "INTERNAL_ERROR", msg, msg));
  }
  bool has_tablet = tablet.value.value_or(0) != 0, has_table = table.value.value_or(0) != 0;
  if (has_tablet && has_table) {
    auto msg = "tablet id and table id can not be set at the same time!";
    return respond(doris_error(p, "INTERNAL_ERROR", msg, msg));
  }
  if (!has_tablet && !has_table) {
    auto msg = "tablet id and table id can not be empty at the same time!";
    return respond(doris_error(p, "INTERNAL_ERROR", msg, msg));
  }
  auto type_text = c.param("compact_type").value_or("");
  auto type = sim::parse_compaction_type(type_text);
  if (!type) {
    auto msg = "The compaction type '" + type_text + "' is not supported";
    return respond(doris_error(p, "NOT_IMPLEMENTED_ERROR", msg, msg));
  }
  // 2.1+: `remote` is checked before the table/tablet split; "true" asks
  // for a single-replica fetch, which no tablet here is set up for.
  bool remote = false;
  if (p != api_profile::docs) {
    auto r = c.param("remote").value_or("");
    if (r != "" && r != "true" && r != "false") {
      auto msg = "The remote = '" + r + "' is not supported";
      return respond(doris_error(p, "NOT_IMPLEMENTED_ERROR", msg, msg));
    }
    remote = r == "true";
  }
  if (has_table) {
    // The docs say table_id takes effect only with full; 2.1 code runs full anyway.
    if (p == api_profile::docs && *type != sim::compaction_type::full)
      return respond(doris_error(p, "", "", "table_id can only be used with compact_type=full"));
    auto id = *table.value;
    return svc.run_table_full(be, id, [p, id, respond](actors::reply<sim::status> r) {
      if (!r.ok()) return respond(service_error(r.error));
      if (!r.value->ok()) return respond(doris_error(p, sim::code_name(r.value->code), r.value->msg, r.value->msg));
      respond(response::json(200, triggered(p, id, 0)));
    });
  }
  auto id = *tablet.value;
  auto shown = tablet.shown;
  auto done = [p, shown, respond](actors::reply<sim::status> r) {
    if (!r.ok()) return respond(service_error(r.error));
    const auto& st = *r.value;
    if (st.code == sim::errc::not_found)
      return respond(doris_error(p, "NOT_FOUND", "Tablet not found. tablet_id=" + std::to_string(shown),
                                 "Tablet not found"));
    if (!st.ok()) return respond(compaction_failed(p, st));
    respond(response::json(200, triggered(p, 0, static_cast<std::int64_t>(shown))));
  };
  if (remote) // _handle_run_compaction: not found first, then "locally"
    return svc.run_status(be, id, [p, respond, done](actors::reply<sim::run_status_view> r) {
      if (!r.ok() || !r.value->found)
        return done(actors::reply<sim::status>{
          r.ok() ? std::optional{sim::status{sim::errc::not_found, ""}} : std::nullopt, r.error});
      auto msg = std::string{"tablet should do compaction locally"};
      respond(doris_error(p, "NOT_IMPLEMENTED_ERROR", msg, msg));
    });
  svc.run_compaction(be, id, *type, done);
}

std::string run_status_body(api_profile p, const sim::run_status_view& v) {
  if (p == api_profile::docs) {
    // The seed document's layout, `"key" : value`.
    return std::string{"{\n"} + "    \"status\" : \"Success\",\n" +
           "    \"run_status\" : " + (v.running ? "true" : "false") + ",\n" +
           "    \"msg\" : \"" + (v.running ? "this tablet_id is running" : "this tablet_id is not running") + "\",\n" +
           "    \"tablet_id\" : " + std::to_string(v.tablet_id) + ",\n" +
           "    \"schema_hash\" : " + std::to_string(v.schema_hash) + ",\n" +
           "    \"compact_type\" : \"" + v.compact_type + "\"\n}";
  }
  // Doris 2.1's raw string template, whitespace included.
  return std::string{"{\n"} + "            \"status\" : \"Success\",\n" +
         "            \"run_status\" : " + (v.running ? "true" : "false") + ",\n" +
         "            \"msg\" : \"" +
         (v.running ? "compaction task for this tablet is running" : "compaction task for this tablet is not running") +
         "\",\n" + "            \"tablet_id\" : " + std::to_string(v.tablet_id) + ",\n" +
         "            \"compact_type\" : \"" + v.compact_type + "\"\n        }";
}

/// StorageEngine::get_compaction_status_json: Cumulative, Base, Full in
/// 2.1; CompactionSubmitRegistry::jsonfy_compaction_status (3.0) puts Base first.
std::string registry_body(api_profile p, const sim::registry_view& v) {
  json::object o;
  auto order = v.by_type;
  if (p == api_profile::v2_1 && order.size() >= 2 && order[0].first == "base")
    std::swap(order[0], order[1]);
  for (const auto& [type, ids] : order) {
    json::array list;
    for (auto id : ids)
      list.push_back(json::string(std::to_string(id)));
    json::object dirs;
    dirs[v.data_dir] = std::move(list);
    auto name = type == "base" ? "BaseCompaction" : type == "cumulative" ? "CumulativeCompaction" : "FullCompaction";
    o[name] = std::move(dirs);
  }
  return pretty_json(o);
}

void handle_run_status(actors::doris_service& svc, int be, const call& c, responder respond) {
  auto p = svc.profile();
  auto tablet = parse_id(c, "tablet_id", p);
  if (tablet.malformed) {
    auto msg = std::string{"convert tablet_id failed, stoull"};
    return respond(doris_error(p, "INTERNAL_ERROR", msg, msg));
  }
  // 2.1+ (_handle_run_status_compaction): tablet_id 0 means "none" too.
  if (!tablet.value || (p != api_profile::docs && tablet.shown == 0))
    return svc.registry(be, [p, respond](actors::reply<sim::registry_view> r) {
      if (!r.ok()) return respond(service_error(r.error));
      respond(response::json(200, registry_body(p, *r.value)));
    });
  auto id = *tablet.value;
  auto shown = tablet.shown;
  svc.run_status(be, id, [p, shown, respond](actors::reply<sim::run_status_view> r) {
    if (!r.ok()) return respond(service_error(r.error));
    if (!r.value->found)
      return respond(doris_error(p, "INTERNAL_ERROR", "fail to get " + std::to_string(shown), "Tablet not found"));
    respond(response::json(200, run_status_body(p, *r.value)));
  });
}

/// Tablet::get_compaction_status. Doris 2.1 and 3.0 print the failure and
/// success times of all three types but only base's schedule time and
/// status; the docs profile prints every key current master has (the
/// schedule times and statuses of all three), as test_full_compaction_status
/// expects.
std::string show_body(api_profile p, const sim::tablet_snapshot& s) {
  const auto& r = s.data;
  // The BE prints its own (possibly skewed) clock; 0 stays 1970.
  auto host_time = [&s](sim::time_ms t) { return t == 0 ? t : t + s.clock_skew; };
  json::object o;
  o["cumulative policy type"] = p == api_profile::docs ? "SIZE_BASED" : "size_based";
  o["cumulative point"] = r.cumulative_point;
  const char* names[] = {"cumulative", "base", "full"};
  const std::size_t base = 1;
  bool every_key = p == api_profile::docs;
  for (const auto* what : {"failure", "success", "schedule"})
    for (std::size_t t = 0; t < 3; ++t) {
      const auto& times = std::string{what} == "failure" ? r.last_failure
                          : std::string{what} == "success" ? r.last_success : r.last_schedule;
      if (every_key || t == base || std::string{what} != "schedule")
        o[std::string{"last "} + names[t] + " " + what + " time"] = sim::format_millis(host_time(times[t]));
    }
  for (std::size_t t = 0; t < 3; ++t) {
    if (every_key || t == base) {
      // 2.1 starts _last_base_compaction_status empty; we show "" until a run.
      bool never = !every_key && r.last_failure[t] == 0 && r.last_success[t] == 0;
      o[std::string{"last "} + names[t] + " status"] = never ? std::string{} : s.last_status[t];
    }
  }
  json::array rowsets, stale, missing;
  for (const auto& rs : r.rowsets)
    rowsets.push_back(json::string(sim::rowset_info(rs, s.uid)));
  for (const auto& hole : sim::missing_versions(r))
    missing.push_back(json::string(hole));
  for (const auto& st : r.stale)
    stale.push_back(json::string(sim::stale_rowset_info(st.data, s.uid)));
  o["rowsets"] = std::move(rowsets);
  o["missing_rowsets"] = std::move(missing);
  o["stale_rowsets"] = std::move(stale);
  json::array paths;
  std::map<std::uint32_t, std::vector<const sim::stale_rowset*>> by_path;
  for (const auto& st : r.stale)
    by_path[st.path_id].push_back(&st);
  for (const auto& [id, members] : by_path) {
    std::string list = std::to_string(id);
    for (const auto* m : members)
      list += "-> [" + std::to_string(m->data.start) + "-" + std::to_string(m->data.end) + "] ";
    json::object path{{"path id", std::to_string(id)},
                      {"last create time", sim::format_millis(host_time(members.front()->stale_since)) + " +0000"},
                      {"path list", list.substr(0, list.size() - 1)}};
    paths.push_back(std::move(path));
  }
  o["stale version path"] = std::move(paths);
  return pretty_json(o);
}

void handle_show(actors::doris_service& svc, int be, const call& c, responder respond) {
  auto p = svc.profile();
  auto tablet = parse_id(c, "tablet_id", p);
  if (tablet.malformed || !tablet.value || (p != api_profile::docs && tablet.shown == 0)) {
    auto msg = tablet.malformed ? std::string{"convert tablet_id failed, stoull"}
                                : std::string{"check param failed: missing tablet_id"};
    return respond(doris_error(p, "INTERNAL_ERROR", msg, msg));
  }
  auto id = *tablet.value;
  auto shown = tablet.shown;
  svc.show(be, id, [p, shown, respond](actors::reply<sim::tablet_snapshot> r) {
    if (!r.ok()) return respond(service_error(r.error));
    if (!r.value->found)
      return respond(doris_error(p, "NOT_FOUND", "Tablet not found. tablet_id=" + std::to_string(shown), "Tablet not found"));
    respond(response::json(200, show_body(p, *r.value)));
  });
}

void handle_scores(actors::doris_service& svc, int be, const call& c, responder respond) {
  // CompactionScoreAction: std::stoll, so "2abc" is 2; no number or a
  // negative one is a plain-text 400.
  std::size_t top_n = std::numeric_limits<std::size_t>::max();
  if (auto raw = c.param("top_n"); raw && !raw->empty()) {
    auto v = doris::stoll(*raw);
    if (!v || *v < 0)
      return respond(response::text(400, "invalid argument: top_n=" + *raw));
    top_n = static_cast<std::size_t>(*v);
  }
  if (c.param("sync_meta"))
    return respond(response::text(400, "param `sync_meta` is only available for cloud mode"));
  svc.scores(be, [top_n, respond](actors::reply<std::vector<sim::score_entry>> r) {
    if (!r.ok()) return respond(service_error(r.error));
    auto& list = *r.value;
    std::stable_sort(list.begin(), list.end(), [](auto& a, auto& b) {
      return a.score != b.score ? a.score > b.score : a.tablet_id < b.tablet_id;
    });
    json::array out;
    for (std::size_t i = 0; i < list.size() && i < top_n; ++i)
      out.push_back(json::object{{"compaction_score", std::to_string(list[i].score)},
                                 {"tablet_id", std::to_string(list[i].tablet_id)}});
    respond(response::json(200, pretty_json(out)));
  });
}

void handle_tablets(actors::doris_service& svc, int be, const call& c, responder respond) {
  // TabletsInfoAction: "" is 1000, "all" is every tablet, digits are a
  // number, anything else lists none under "Parameter Error" (still 200).
  std::size_t limit = 1000;
  std::string msg = "OK";
  if (auto raw = c.param("limit"); raw && !raw->empty()) {
    if (*raw == "all") {
      limit = std::numeric_limits<std::size_t>::max();
    } else if (std::all_of(raw->begin(), raw->end(), [](unsigned char ch) { return std::isdigit(ch); })) {
      auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), limit);
      if (ec != std::errc{})
        limit = std::numeric_limits<std::size_t>::max(); // atol saturates in practice
    } else {
      limit = 0;
      msg = "Parameter Error";
    }
  }
  svc.tablets(be, [limit, msg, respond](actors::reply<std::vector<sim::tablet_brief>> r) {
    if (!r.ok()) return respond(service_error(r.error));
    json::array tablets;
    for (std::size_t i = 0; i < r.value->size() && i < limit; ++i)
      tablets.push_back(json::object{{"tablet_id", (*r.value)[i].tablet_id}, {"schema_hash", (*r.value)[i].schema_hash}});
    auto count = tablets.size();
    json::object o{{"msg", msg}, {"code", 0},
                   {"data", json::object{{"host", "127.0.0.1"}, {"tablets", std::move(tablets)}}}, {"count", count}};
    respond(response::json(200, json::serialize(o))); // EasyJson::ToString: compact
  });
}

} // namespace

/// The debug point actions' answer: the Doris documents show
/// {"msg": "OK", "code": 0}; 2.1's BaseDebugPointAction::handle sends
/// Status::to_json (the regression framework checks its "status").
response debug_ok(api_profile p) {
  if (p == api_profile::docs)
    return response::json(200, R"({"msg": "OK", "code": 0})");
  return response::json(200, doris::status_json("OK", "OK"));
}

void handle_debug_add(actors::doris_service& svc, int be, const call& c, responder respond) {
  sim::debug_point p;
  for (const auto& param : c.query) {
    std::string key{param.key}, value{param.value};
    if (key == "timeout" || key == "execute") {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || ptr != value.data() + value.size())
        return respond(response::json(400, R"({"msg": "invalid )" + key + R"( value", "code": 1})"));
      if (key == "execute")
        p.remaining = n;
      else
        p.expires_at = n; // seconds from now; made absolute on the BE
    } else {
      p.params[key] = value;
    }
  }
  auto name = c.captures.at("name");
  // AddDebugPointAction: only a positive timeout expires (MonotonicMillis()
  // + timeout_second * 1000); zero or less never does. A timeout too large
  // for milliseconds (Doris's multiplication overflows there) never expires.
  if (p.expires_at && *p.expires_at <= 0)
    p.expires_at.reset();
  svc.on_backend(be, [name, p](sim::backend_model& m, sim::time_ms now) mutable {
    if (p.expires_at)
      p.expires_at = *p.expires_at > (INT64_MAX - now) / 1000 ? INT64_MAX : now + *p.expires_at * 1000;
    m.debug().add(name, p);
  }, [respond, profile = svc.profile()](actors::reply<bool> r) { respond(r.ok() ? debug_ok(profile) : service_error(r.error)); });
}

/// GET /metrics on a BE port: Doris's names where a BE has the figure
/// (doris_be_tablet_*_max_compaction_score, doris_be_all_rowsets_num),
/// compactsim_be_* for what only the simulator counts.
std::string be_metrics(const sim::backend_model& m) {
  std::uint32_t max_cumu = 0, max_base = 0;
  std::int64_t max_versions = 0, rowsets = 0;
  for (const auto& r : m.replicas()) {
    max_cumu = std::max(max_cumu, r.cumu_score);
    max_base = std::max(max_base, r.base_score);
    max_versions = std::max<std::int64_t>(max_versions, static_cast<std::int64_t>(r.rowsets.size()));
    rowsets += static_cast<std::int64_t>(r.rowsets.size());
  }
  std::map<std::string, int> running;
  for (const auto& [id, t] : m.tasks())
    ++running[std::string{sim::to_string(t.type)}];
  using prometheus::family;
  std::vector<family> out{
    {"doris_be_tablet_cumulative_max_compaction_score", "gauge", "Highest cumulative compaction score of a tablet.", {}},
    {"doris_be_tablet_base_max_compaction_score", "gauge", "Highest base compaction score of a tablet.", {}},
    {"doris_be_all_rowsets_num", "gauge", "Rowsets of every tablet.", {}},
    {"compactsim_be_max_tablet_version_num", "gauge", "Most versions (rowsets) of any tablet.", {}},
    {"compactsim_be_tablets", "gauge", "Tablets on this BE.", {}},
    {"compactsim_be_compaction_tasks_running", "gauge", "Compactions running, by type.", {}},
    {"compactsim_be_load_rejected_total", "counter", "Loads rejected (-235 TOO_MANY_VERSION, disk full).", {}},
  };
  out[0].add({}, max_cumu);
  out[1].add({}, max_base);
  out[2].add({}, static_cast<double>(rowsets));
  out[3].add({}, static_cast<double>(max_versions));
  out[4].add({}, static_cast<double>(m.replicas().size()));
  for (const char* type : {"base", "cumulative", "full"})
    out[5].add({{"type", type}}, running[type]);
  out[6].add({}, static_cast<double>(m.rejected_loads()));
  return prometheus::render(out);
}

route_table make_doris_routes(actors::doris_service& svc, int be, std::uint16_t port) {
  route_table t;
  add_be_info_routes(t, svc, be, port != 0 ? port : static_cast<std::uint16_t>(8040 + be));
  auto bind = [&svc, be](auto fn) { return [&svc, be, fn](const call& c, responder r) { fn(svc, be, c, std::move(r)); }; };
  t.add("POST", "/api/compaction/run", bind(handle_run));
  t.add("GET", "/api/compaction/run_status", bind(handle_run_status));
  t.add("GET", "/api/compaction/show", bind(handle_show));
  t.add("GET", "/api/compaction_score", bind(handle_scores));
  t.add("GET", "/tablets_json", bind(handle_tablets));
  t.add("GET", "/api/tablets_json", bind(handle_tablets));
  t.add("POST", "/api/debug_point/add/{name}", bind(handle_debug_add));
  t.add("POST", "/api/debug_point/remove/{name}", [&svc, be](const call& c, responder r) {
    svc.on_backend(be, [name = c.captures.at("name")](sim::backend_model& m, sim::time_ms) { m.debug().remove(name); },
                   [r, p = svc.profile()](actors::reply<bool> done) {
                     r(done.ok() ? debug_ok(p) : service_error(done.error));
                   });
  });
  t.add("POST", "/api/debug_point/clear", [&svc, be](const call&, responder r) {
    svc.on_backend(be, [](sim::backend_model& m, sim::time_ms) { m.debug().clear(); },
                   [r, p = svc.profile()](actors::reply<bool> done) {
                     r(done.ok() ? debug_ok(p) : service_error(done.error));
                   });
  });
  t.add("GET", "/metrics", [&svc, be](const call&, responder r) {
    auto text = std::make_shared<std::string>();
    svc.on_backend(be, [text](sim::backend_model& m, sim::time_ms) { *text = be_metrics(m); },
                   [r, text](actors::reply<bool> done) {
                     if (!done.ok())
                       return r(service_error(done.error));
                     r(response{200, "text/plain; version=0.0.4", std::move(*text), {}});
                   });
  });
  t.add("GET", "/api/health", [](const call&, responder r) {
    r(response::json(200, R"({"status": "OK","msg": "To Be Added"})"));
  });
  return t;
}

} // namespace compactsim::http
