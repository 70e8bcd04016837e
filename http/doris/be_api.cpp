//! The BE's route table, and the smaller actions on it: compaction scores,
//! the tablet list, debug points and /metrics. Compaction run, run_status
//! and show are in be_compaction_api.cpp; config, meta and the like in
//! be_info_api.cpp.

#include "http/doris/be_api.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <memory>

#include <boost/json.hpp>

#include "http/doris/be_answers.hpp"
#include "http/doris/be_compaction_api.hpp"
#include "http/doris/be_info_api.hpp"
#include "http/json_format.hpp"
#include "http/prometheus.hpp"

namespace compactsim::http {

namespace json = boost::json;
using doris::service_error;
using sim::api_profile;

namespace {

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
