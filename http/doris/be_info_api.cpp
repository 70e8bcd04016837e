#include "http/doris/be_info_api.hpp"

#include <boost/json.hpp>

#include "http/doris/be_answers.hpp"
#include "http/json_format.hpp"
#include "http/no_answer.hpp"
#include "sim/doris/format.hpp"

namespace compactsim::http {

namespace json = boost::json;
using doris::status_json;

namespace {

response json_200(std::string body) { return response::json(200, std::move(body)); }

/// The cluster did not answer in time (the BE is down or partitioned).
response no_answer(const std::string& why) {
  return response::json(no_answer_status, status_json("INTERNAL_ERROR", why));
}

/// GET /api/show_config[?conf_item=NAME]: ConfigAction::handle_show_config
/// writes a compact JSON array of [name, type, value, mutable] strings.
void show_config(actors::doris_service& svc, int be, std::uint16_t port, const call& c, responder r) {
  auto only = c.param("conf_item").value_or("");
  svc.knobs(be, [r, port, only](actors::reply<sim::doris_knobs> k) {
    if (!k.ok())
      return r(no_answer(k.error));
    sim::be_identity id;
    id.webserver_port = port;
    json::array out;
    for (const auto& item : sim::show_config(*k.value, id)) {
      if (!only.empty() && item.name != only)
        continue;
      out.push_back(json::array{json::string(item.name), json::string(item.type), json::string(item.value),
                                json::string(item.is_mutable ? "true" : "false")});
    }
    r(json_200(json::serialize(out)));
  });
}

/// POST /api/update_config?NAME=VALUE[&persist=true]: UpdateConfigAction
/// (2.1+) answers 200 with one {"config_name", "status", "msg"} per item.
/// Its `msg` is not reset between items, so a success after a failure
/// repeats the failure's text, as Doris does.
void update_config(actors::doris_service& svc, int be, const call& c, responder r) {
  sim::config_updates updates;
  for (const auto& p : c.query)
    if (p.key != "persist")
      updates.emplace_back(std::string{p.key}, p.has_value ? std::string{p.value} : std::string{});
  auto names = updates;
  svc.update_config(be, std::move(updates), [r, names](actors::reply<std::vector<sim::status>> res) {
    if (!res.ok())
      return r(no_answer(res.error));
    json::array out;
    std::string msg;
    for (std::size_t i = 0; i < names.size() && i < res.value->size(); ++i) {
      const auto& st = (*res.value)[i];
      if (!st.ok())
        msg = "set " + names[i].first + "=" + names[i].second + " failed, reason: " + sim::to_string(st) + ".";
      out.push_back(json::object{{"config_name", names[i].first}, {"status", st.ok() ? "OK" : "BAD"}, {"msg", msg}});
    }
    r(json_200(pretty_json(out)));
  });
}

json::object rowset_meta(const sim::rowset& rs, const sim::replica& t, std::pair<std::uint64_t, std::uint64_t> uid) {
  return json::object{
    {"rowset_id", 0},
    {"partition_id", t.table_id + 1},
    {"tablet_id", t.tablet_id},
    {"tablet_schema_hash", t.schema_hash},
    {"rowset_type", "BETA_ROWSET"},
    {"rowset_state", "VISIBLE"},
    {"start_version", rs.start},
    {"end_version", rs.end},
    {"num_rows", rs.rows},
    {"total_disk_size", rs.bytes},
    {"data_disk_size", rs.bytes},
    {"index_disk_size", 0},
    {"empty", rs.rows == 0},
    {"creation_time", rs.created_s},
    {"num_segments", rs.segments},
    {"rowset_id_v2", sim::rowset_id_string(rs.id, uid)},
    {"segments_overlap_pb", rs.overlapping ? "OVERLAPPING" : "NONOVERLAPPING"},
  };
}

/// TabletMeta::to_json: TabletMetaPB's fields by their proto names, enums by name.
std::string tablet_meta(const sim::tablet_snapshot& s) {
  const auto& t = s.data;
  json::array rs, stale;
  for (const auto& r : t.rowsets)
    rs.push_back(rowset_meta(r, t, s.uid));
  for (const auto& st : t.stale)
    stale.push_back(rowset_meta(st.data, t, s.uid));
  json::object schema{{"keys_type", sim::to_string(t.keys)},
                      {"num_short_key_columns", 1},
                      {"num_rows_per_row_block", 1024},
                      {"compress_kind", "COMPRESS_LZ4"},
                      {"next_column_unique_id", 2}};
  return pretty_json(json::object{
    {"table_id", t.table_id},
    {"partition_id", t.table_id + 1},
    {"tablet_id", t.tablet_id},
    {"schema_hash", t.schema_hash},
    {"shard_id", t.tablet_id % 1024},
    {"creation_time", t.rowsets.empty() ? 0 : t.rowsets.front().created_s},
    {"cumulative_layer_point", t.cumulative_point},
    {"tablet_state", t.state == sim::tablet_state::running ? "PB_RUNNING" : "PB_NOTREADY"},
    {"schema", std::move(schema)},
    {"rs_metas", std::move(rs)},
    {"in_restore_mode", false},
    {"tablet_uid", json::object{{"hi", s.uid.first}, {"lo", s.uid.second}}},
    {"preferred_rowset_type", "BETA_ROWSET"},
    {"tablet_type", "TABLET_TYPE_DISK"},
    {"stale_rs_metas", std::move(stale)},
    {"storage_medium", "HDD"},
    {"enable_unique_key_merge_on_write", t.merge_on_write},
  });
}

/// GET /api/meta/header/{tablet_id}: MetaAction answers 200 with the meta,
/// or 500 with Status::to_json.
void meta_header(actors::doris_service& svc, int be, const call& c, responder r) {
  const auto& raw = c.captures.at("tablet_id");
  auto id = doris::stoull(raw);
  if (!id)
    return r(response::json(500, status_json("INTERNAL_ERROR", "convert failed, stoull")));
  svc.show(be, doris::model_id(*id), [r, id](actors::reply<sim::tablet_snapshot> s) {
    if (!s.ok())
      return r(no_answer(s.error));
    if (!s.value->found)
      return r(response::json(500, status_json("INTERNAL_ERROR", "failed to get tablet: " + std::to_string(*id) +
                                                                     ", reason: tablet does not exist. 127.0.0.1")));
    r(json_200(tablet_meta(*s.value)));
  });
}

/// GET /api/delete_bitmap/count_local?tablet_id=N: DeleteBitmapAction,
/// always 200, errors as Status::to_json.
void delete_bitmap(actors::doris_service& svc, int be, const call& c, responder r) {
  auto raw = c.param("tablet_id");
  if (!raw || raw->empty())
    return r(json_200(status_json("INTERNAL_ERROR", "tablet id is empty!")));
  auto id = doris::stoull(*raw);
  if (!id)
    return r(json_200(status_json("INTERNAL_ERROR", "convert tablet_id failed, stoull")));
  if (*id == 0)
    return r(json_200(status_json("INTERNAL_ERROR", "check param failed: invalid tablet_id")));
  svc.delete_bitmap(be, doris::model_id(*id), [r, id](actors::reply<sim::delete_bitmap_view> v) {
    if (!v.ok())
      return r(no_answer(v.error));
    if (!v.value->found)
      return r(json_200(status_json("NOT_FOUND", "Tablet not found. tablet_id=" + std::to_string(*id))));
    r(json_200(pretty_json(json::object{{"delete_bitmap_count", v.value->count},
                                        {"cardinality", v.value->cardinality},
                                        {"size", v.value->size}})));
  });
}

/// GET /api/be_version_info: VersionAction's compact EasyJson.
std::string version_info(sim::api_profile p) {
  struct version {
    int major, minor, patch;
    const char* rc;
  };
  version v = p == sim::api_profile::v3_0 ? version{3, 0, 3, "rc04"}
              : p == sim::api_profile::v2_1 ? version{2, 1, 7, "rc03"}
                                            : version{1, 2, 7, "rc01"};
  auto full = "doris-" + std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch) +
              "-" + v.rc;
  json::object info{{"dorisBuildVersionPrefix", "doris"},
                    {"dorisBuildVersionMajor", v.major},
                    {"dorisBuildVersionMinor", v.minor},
                    {"dorisBuildVersionPatch", v.patch},
                    {"dorisBuildVersionRcVersion", v.rc},
                    {"dorisBuildVersion", full},
                    {"dorisBuildHash", "git://compactsim@0000000"},
                    {"dorisBuildShortHash", "0000000"},
                    {"dorisBuildTime", "Thu, 01 Jan 2026 00:00:00 UTC"},
                    {"dorisBuildInfo", "compactsim"}};
  return json::serialize(json::object{{"msg", "success"},
                                      {"code", 0},
                                      {"data", json::object{{"beVersionInfo", std::move(info)}}},
                                      {"count", 0}});
}

} // namespace

void add_be_info_routes(route_table& t, actors::doris_service& svc, int be, std::uint16_t port) {
  t.add("GET", "/api/show_config", [&svc, be, port](const call& c, responder r) { show_config(svc, be, port, c, r); });
  t.add("POST", "/api/update_config", [&svc, be](const call& c, responder r) { update_config(svc, be, c, r); });
  t.add("GET", "/api/meta/header/{tablet_id}", [&svc, be](const call& c, responder r) { meta_header(svc, be, c, r); });
  t.add("GET", "/api/delete_bitmap/count_local",
        [&svc, be](const call& c, responder r) { delete_bitmap(svc, be, c, r); });
  t.add("GET", "/api/be_version_info",
        [&svc](const call&, responder r) { r(json_200(version_info(svc.profile()))); });
  // ReportAction: GET /api/report/{tablet,disk,task} wakes that reporter.
  for (const char* name : {"tablet", "disk", "task"})
    t.add("GET", std::string{"/api/report/"} + name,
          [](const call&, responder r) { r(json_200(status_json("OK", "OK"))); });
  t.add("GET", "/api/report/{name}", [](const call& c, responder r) {
    r(response::json(500, status_json("INTERNAL_ERROR", "unknown reporter with name: " + c.captures.at("name"))));
  });
}

} // namespace compactsim::http
