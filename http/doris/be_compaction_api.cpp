//! The BE's CompactionAction: POST /api/compaction/run (a tablet's
//! compaction, or a table's full compaction), GET /api/compaction/run_status
//! (one tablet, or the registry of running tasks) and GET
//! /api/compaction/show (a tablet's rowsets, versions and last results).

#include "http/doris/be_compaction_api.hpp"

#include <charconv>
#include <map>

#include <boost/json.hpp>

#include "http/doris/be_answers.hpp"
#include "http/json_format.hpp"
#include "sim/doris/format.hpp"

namespace compactsim::http {

namespace json = boost::json;
using doris::service_error;
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

} // namespace

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

} // namespace compactsim::http
