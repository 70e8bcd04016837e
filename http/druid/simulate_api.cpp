#include "http/druid/simulate_api.hpp"

#include <cmath>
#include <string>

#include <boost/json.hpp>

#include "http/druid/druid_answers.hpp"
#include "http/druid/metadata_api.hpp"
#include "http/json_format.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

constexpr std::string_view cluster_config_class = "org.apache.druid.server.coordinator.ClusterCompactionConfig";
constexpr std::string_view policy_class = "org.apache.druid.server.compaction.CompactionCandidateSearchPolicy";

std::string chain(std::string_view field) {
  return " (through reference chain: " + std::string{cluster_config_class} + "[\"" + std::string{field} + "\"])";
}

/// A number field as Jackson coerces it into `java_type` (numbers and
/// numeric strings); the error text otherwise.
std::optional<std::string> check_number(const json::object& o, std::string_view key, std::string_view java_type,
                                        bool integral) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null() || it->value().is_number())
    return std::nullopt;
  const auto& v = it->value();
  if (v.is_string()) {
    std::string s{v.get_string()};
    char* end = nullptr;
    if (integral)
      std::strtoll(s.c_str(), &end, 10);
    else
      std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size())
      return std::nullopt;
    return "Cannot deserialize value of type `" + std::string{java_type} + "` from String \"" + s +
           "\": not a valid `" + std::string{java_type} + "` value" + chain(key);
  }
  return "Cannot deserialize value of type `" + std::string{java_type} + "` from " + druid::jackson_describe(v) + chain(key);
}

/// ClusterCompactionConfig as Jackson reads it (Druid 31): four optional
/// fields, unknown ones ignored. The simulator overrides the slot ratio and
/// the slot count, so what is kept is the policy's priority datasource.
/// nullopt with Jackson's message when the body does not map.
std::optional<std::string> read_cluster_config(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Cannot deserialize value of type `" + std::string{cluster_config_class} + "` from " + druid::jackson_describe(v);
    return std::nullopt;
  }
  const auto& o = v.as_object();
  for (auto problem : {check_number(o, "compactionTaskSlotRatio", "java.lang.Double", false),
                       check_number(o, "maxCompactionTaskSlots", "java.lang.Integer", true)})
    if (problem) {
      error = *problem;
      return std::nullopt;
    }
  if (auto it = o.find("useAutoScaleSlots"); it != o.end() && !it->value().is_null() && !it->value().is_bool()) {
    const auto& b = it->value();
    if (!(b.is_string() && (b.get_string() == "true" || b.get_string() == "false"))) {
      error = "Cannot deserialize value of type `java.lang.Boolean` from " + druid::jackson_describe(b) + chain("useAutoScaleSlots");
      return std::nullopt;
    }
  }
  auto it = o.find("compactionPolicy");
  std::string priority;
  if (it == o.end() || it->value().is_null())
    return priority;
  if (!it->value().is_object()) {
    error = "Unexpected token (" + std::string{it->value().is_array() ? "START_ARRAY" : "VALUE_STRING"} +
            "), expected START_OBJECT: need JSON Object to contain As.PROPERTY type information (for subtype of " +
            std::string{policy_class} + ")" + chain("compactionPolicy");
    return std::nullopt;
  }
  const auto& policy = it->value().as_object();
  auto type = policy.find("type");
  if (type == policy.end() || type->value().is_null() || type->value().is_object() || type->value().is_array()) {
    error = "Could not resolve subtype of [simple type, class " + std::string{policy_class} +
            "]: missing type id property 'type' (for POJO property 'compactionPolicy')";
    return std::nullopt;
  }
  auto id = type->value().is_string() ? std::string{type->value().get_string()} : json::serialize(type->value());
  if (id != "newestSegmentFirst") {
    error = "Please make sure to load all the necessary extensions and jars with type '" + id +
            "' on 'druid/coordinator' service. Could not resolve type id '" + id + "' as a subtype of `" +
            std::string{policy_class} + "` known type ids = [newestSegmentFirst] (for POJO property 'compactionPolicy')";
    return std::nullopt;
  }
  if (auto p = policy.find("priorityDatasource"); p != policy.end() && !p->value().is_null()) {
    if (p->value().is_object() || p->value().is_array()) {
      error = "Cannot deserialize value of type `java.lang.String` from " + druid::jackson_describe(p->value()) +
              " (through reference chain: " + std::string{cluster_config_class} +
              "[\"compactionPolicy\"]->org.apache.druid.server.compaction.NewestSegmentFirstPolicy[\"priorityDatasource\"])";
      return std::nullopt;
    }
    priority = p->value().is_string() ? std::string{p->value().get_string()} : json::serialize(p->value());
  }
  return priority;
}

/// A Table: {"columnNames": [...], "rows": [[...], ...]} (CompactionRunSimulator#createRow).
json::object table(std::initializer_list<std::string_view> columns, const std::vector<druid::simulated_candidate>& rows) {
  json::array names;
  for (auto c : columns)
    names.emplace_back(c);
  json::array out;
  for (const auto& r : rows) {
    json::array row{json::value(r.data_source), json::value(sim::druid::format_interval(r.umbrella)),
                    json::value(r.segments), json::value(r.bytes)};
    if (r.max_task_slots)
      row.emplace_back(*r.max_task_slots);
    if (r.reason)
      row.emplace_back(*r.reason);
    out.emplace_back(std::move(row));
  }
  return json::object{{"columnNames", std::move(names)}, {"rows", std::move(out)}};
}

/// CompactionSimulateResult: only the states with rows. Druid keeps them in
/// a HashMap keyed by the enum, whose order follows identity hash codes;
/// here they come in the enum's order.
json::object simulate_result(const druid::simulation& s) {
  json::object states;
  if (!s.complete.empty())
    states["COMPLETE"] = table({"dataSource", "interval", "numSegments", "bytes"}, s.complete);
  if (!s.pending.empty())
    states["PENDING"] = table({"dataSource", "interval", "numSegments", "bytes", "maxTaskSlots", "reasonToCompact"},
                              s.pending);
  if (!s.running.empty())
    states["RUNNING"] = table({"dataSource", "interval", "numSegments", "bytes", "maxTaskSlots", "reasonToCompact"},
                              s.running);
  if (!s.skipped.empty())
    states["SKIPPED"] = table({"dataSource", "interval", "numSegments", "bytes", "reasonToSkip"}, s.skipped);
  return json::object{{"compactionStates", std::move(states)}};
}

/// OverlordCompactionResource#buildErrorResponseIfSchedulerDisabled.
response supervisors_disabled() {
  json::object o;
  o["error"] = "druidException";
  o["errorCode"] = "general";
  o["persona"] = "USER";
  o["category"] = "UNSUPPORTED";
  o["errorMessage"] = "Compaction Supervisors are disabled on the Overlord. Use Coordinator APIs to fetch compaction status.";
  o["context"] = json::object{};
  return json_body(501, o);
}

/// The body of a POST to a simulate endpoint: the priority datasource, or
/// nullopt with the answer in `bad`. An empty body is a null payload: the
/// coordinator dereferences it (DruidCompactionConfig#withClusterConfig);
/// the overlord, whose scheduler is not running, never looks.
std::optional<std::string> simulate_body(const call& c, response& bad, bool null_payload_fails) {
  if (!json_or_no_content_type(c)) {
    bad = jetty_error(415, "Unsupported Media Type");
    return std::nullopt;
  }
  const auto& body = c.req.body;
  bool null_payload = body.find_first_not_of(" \t\r\n") == std::string::npos || body == "null";
  if (null_payload && !null_payload_fails)
    return std::string{};
  if (null_payload) {
    bad = jetty_error(500, "java.lang.NullPointerException: Cannot invoke \"org.apache.druid.server.coordinator."
                           "ClusterCompactionConfig.getCompactionTaskSlotRatio()\" because \"update\" is null");
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) {
    bad = error_body(400, "Malformed JSON request body: " + ec.message());
    return std::nullopt;
  }
  std::string error;
  auto out = read_cluster_config(v, error);
  if (!out)
    bad = error_body(400, error);
  return out;
}

} // namespace

void add_druid31_routes(route_table& t, actors::druid_service& svc) {
  // CoordinatorCompactionResource#simulateWithClusterConfigUpdate ->
  // DruidCoordinator#simulateRunWithConfigUpdate: every stored datasource
  // config, the used segments, the overlord's tasks and locks.
  t.add("POST", path(coordinator_prefix, "/compaction/simulate"), [&svc](const call& c, responder r) {
    response bad;
    auto priority = simulate_body(c, bad, true);
    if (!priority)
      return r(bad);
    svc.simulate(*priority, [r](actors::reply<druid::simulation> s) {
      r(s.ok() ? json_body(200, simulate_result(*s.value)) : unavailable(s.error));
    });
  });
  // OverlordCompactionResource: without compaction supervisors
  // (druid.supervisor.compaction.enabled=false, the default) the scheduler
  // is not running, so a simulation is empty and the status endpoints refuse.
  t.add("POST", path(indexer_prefix, "/compaction/simulate"), [](const call& c, responder r) {
    response bad;
    if (!simulate_body(c, bad, false))
      return r(bad);
    r(json_body(200, json::object{{"compactionStates", json::object{}}}));
  });
  t.add("GET", path(indexer_prefix, "/compaction/isSupervisorEnabled"),
        [](const call&, responder r) { r(response::json(200, "false")); });
  t.add("GET", path(indexer_prefix, "/compaction/progress"), [](const call&, responder r) { r(supervisors_disabled()); });
  t.add("GET", path(indexer_prefix, "/compaction/status"), [](const call&, responder r) { r(supervisors_disabled()); });
}

} // namespace compactsim::http
