#include "http/druid/simulate_api.hpp"

#include <cmath>
#include <string>

#include <boost/json.hpp>

#include "http/druid/compaction_json.hpp"
#include "http/druid/druid_answers.hpp"
#include "http/druid/jackson_location.hpp"
#include "http/druid/metadata_api.hpp"
#include "http/json_format.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

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
  return druid_exception(501, "general", "UNSUPPORTED",
                         "Compaction Supervisors are disabled on the Overlord. Use Coordinator APIs to fetch compaction status.");
}

/// The NPE DruidCompactionConfig#withClusterConfig throws on a null payload.
constexpr std::string_view null_update_npe =
  "Cannot invoke \"org.apache.druid.server.coordinator.ClusterCompactionConfig.getCompactionTaskSlotRatio()\" "
  "because \"update\" is null";

/// A ClusterCompactionConfig body: the update, or nullopt with the answer in
/// `bad`. An empty body (or `null`) is a null payload, which the caller
/// handles (`null_payload` is set and an empty update returned).
std::optional<druid::cluster_update> cluster_body(const call& c, response& bad, bool& null_payload) {
  if (!json_or_no_content_type(c)) {
    bad = jetty_error(415, "Unsupported Media Type");
    return std::nullopt;
  }
  const auto& body = c.req.body;
  null_payload = body.find_first_not_of(" \t\r\n") == std::string::npos || body == "null";
  if (null_payload)
    return druid::cluster_update{};
  auto v = read_json_body(c, bad);
  if (!v)
    return std::nullopt;
  std::string error;
  auto out = read_cluster_update(*v, error);
  if (!out)
    bad = error_body(400, with_jackson_location(c.req.body, error));
  return out;
}

/// Jetty's page text for the NPE of an uncaught null payload.
std::string npe_text() { return "java.lang.NullPointerException: " + std::string{null_update_npe}; }

/// A route that takes a ClusterCompactionConfig: `on_null` answers a null
/// payload, `on_update` a body that maps; other bodies get their answer here.
template <class OnNull, class OnUpdate>
handler cluster_route(OnNull on_null, OnUpdate on_update) {
  return [on_null, on_update](const call& c, responder r) {
    response bad;
    bool null_payload = false;
    auto update = cluster_body(c, bad, null_payload);
    if (!update)
      return r(bad);
    if (null_payload)
      return on_null(c, std::move(r));
    on_update(c, std::move(*update), std::move(r));
  };
}

} // namespace

void add_druid31_routes(route_table& t, actors::druid_service& svc) {
  // CoordinatorCompactionResource#simulateWithClusterConfigUpdate ->
  // DruidCoordinator#simulateRunWithConfigUpdate: every stored datasource
  // config, the used segments, the overlord's tasks and locks.
  // DruidCompactionConfig#withClusterConfig dereferences a null payload
  // outside any try: Jetty's 500.
  t.add("POST", path(coordinator_prefix, "/compaction/simulate"),
        cluster_route([](const call&, responder r) { r(jetty_error(500, npe_text())); },
                      [&svc](const call&, druid::cluster_update u, responder r) {
                        svc.simulate(std::move(u), [r](actors::reply<druid::simulation> s) {
                          r(s.ok() ? json_body(200, simulate_result(*s.value)) : unavailable(s.error));
                        });
                      }));
  // CoordinatorCompactionConfigsResource#updateClusterCompactionConfig:
  // current.withClusterConfig(payload) inside updateConfigHelper's try, so a
  // null payload's NPE is caught and answered 500 {"error": message}.
  t.add("POST", path(coordinator_prefix, "/config/compaction/cluster"),
        cluster_route([](const call& c, responder r) { r(untyped_entity(c, error_body(500, null_update_npe))); },
                      [&svc](const call& c, druid::cluster_update u, responder r) {
                        svc.set_slots(std::move(u), audit_of(c),
                                      answer_with<bool>(std::move(r), [](bool) { return empty_ok(); }));
                      }));
  // OverlordCompactionResource. Without compaction supervisors
  // (druid.supervisor.compaction.enabled=false, the default) the scheduler
  // is not running: a simulation is empty and the status endpoints refuse.
  // A running scheduler dereferences a null payload (withClusterConfig); a
  // stopped one answers without looking.
  t.add("POST", path(indexer_prefix, "/compaction/simulate"),
        cluster_route(
          [&svc](const call&, responder r) {
            svc.supervisors(answer_with<druid::supervisor_board>(std::move(r), [](const druid::supervisor_board& b) {
              return b.scheduler_running ? jetty_error(500, npe_text())
                                         : json_body(200, json::object{{"compactionStates", json::object{}}});
            }));
          },
          [&svc](const call&, druid::cluster_update u, responder r) {
            svc.simulate_on_overlord(std::move(u), [r](actors::reply<druid::simulation> s) {
              r(s.ok() ? json_body(200, simulate_result(*s.value)) : unavailable(s.error));
            });
          }));
  t.add("GET", path(indexer_prefix, "/compaction/isSupervisorEnabled"), [&svc](const call&, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(std::move(r), [](const druid::supervisor_board& b) {
      return response::json(200, b.scheduler_running ? "true" : "false");
    }));
  });
  t.add("GET", path(indexer_prefix, "/compaction/progress"), [&svc](const call& c, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(
      std::move(r), [ds = c.param("dataSource")](const druid::supervisor_board& b) {
        return b.scheduler_running ? progress_answer(b.status, ds, 31) : supervisors_disabled();
      }));
  });
  t.add("GET", path(indexer_prefix, "/compaction/status"), [&svc](const call& c, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(
      std::move(r), [ds = c.param("dataSource")](const druid::supervisor_board& b) {
        return b.scheduler_running ? status_answer(b.status, ds, 31) : supervisors_disabled();
      }));
  });
}

} // namespace compactsim::http
