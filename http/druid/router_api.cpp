#include "http/druid/router_api.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <boost/json.hpp>

#include "http/druid/compaction_json.hpp"
#include "http/druid/druid_answers.hpp"
#include "http/druid/jackson_location.hpp"
#include "http/druid/metadata_api.hpp"
#include "http/druid/query_params.hpp"
#include "http/druid/segment_json.hpp"
#include "http/druid/simulate_api.hpp"
#include "http/druid/supervisor_api.hpp"
#include "http/druid/task_json.hpp"
#include "http/json_format.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/overlord.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

constexpr std::string_view coordinator = coordinator_prefix;
constexpr std::string_view indexer = indexer_prefix;

// -- the coordinator ---------------------------------------------------------------------------

void add_config_routes(route_table& t, actors::druid_service& svc, int version) {
  t.add("GET", path(coordinator, "/config/compaction"), [&svc, version](const call&, responder r) {
    svc.compaction_config(answer_with<druid::cluster_compaction_config>(
      std::move(r), [version](const druid::cluster_compaction_config& c) {
        return json_body(200, cluster_config_json(c, version));
      }));
  });
  t.add("POST", path(coordinator, "/config/compaction"), [&svc, version](const call& c, responder r) {
    // addOrUpdateCompactionConfig has no @Produces: its entities are untyped.
    if (json_or_no_content_type(c) && (c.req.body.find_first_not_of(" \t\r\n") == std::string::npos || c.req.body == "null")) {
      // A null payload: the update operator's NPE, caught by updateConfigHelper as a 500 {"error"}.
      auto npe = std::string{"Cannot invoke \"org.apache.druid.server.coordinator.DataSourceCompactionConfig."} +
                 (version >= 31 ? "getEngine()" : "getDataSource()") + "\" because \"newConfig\" is null";
      return r(untyped_entity(c, error_body(500, npe)));
    }
    response bad;
    auto body = read_json_body(c, bad);
    if (!body)
      return r(bad);
    std::string error;
    auto config = druid::parse_datasource_config(*body, error);
    // Druid 31's CustomExceptionMapper sets application/json (#17016); Druid 30's does not.
    if (!config) {
      auto mapped = error_body(400, with_jackson_location(c.req.body, error));
      return r(version >= 31 ? mapped : untyped_entity(c, mapped));
    }
    svc.put_config(std::move(*config), audit_of(c), answer_with<bool>(std::move(r), [](bool) { return empty_ok(); }));
  });
  t.add("POST", path(coordinator, "/config/compaction/taskslots"), [&svc](const call& c, responder r) {
    // No range check: CoordinatorCompactionConfig.from stores NaN, the
    // infinities and negatives as given, and the duty copes (setCompactionTaskLimit).
    std::optional<double> ratio;
    std::optional<std::int32_t> max;
    if (!query_number(c, "ratio", ratio) || !query_number(c, "max", max))
      return r(jetty_error(404, "Not Found"));
    svc.set_slots({ratio, max, query_bool(c, "useAutoScaleSlots"), std::nullopt}, audit_of(c),
                  answer_with<bool>(std::move(r), [](bool) { return empty_ok(); }));
  });
  t.add("GET", path(coordinator, "/config/compaction/{dataSource}"), [&svc](const call& c, responder r) {
    svc.compaction_config(answer_with<druid::cluster_compaction_config>(
      std::move(r), [ds = c.captures.at("dataSource")](const druid::cluster_compaction_config& all) {
        const auto* cfg = all.find(ds);
        // Response.status(NOT_FOUND).build(): no entity, so Jersey's
        // WebComponent.Writer#finish calls sendError and Jetty writes its page.
        return cfg ? json_body(200, cfg->to_json()) : jetty_error(404, "Not Found");
      }));
  });
  t.add("DELETE", path(coordinator, "/config/compaction/{dataSource}"), [&svc](const call& c, responder r) {
    svc.remove_config(c.captures.at("dataSource"), audit_of(c), answer_with<bool>(std::move(r), [](bool removed) {
                        return removed ? empty_ok() : jetty_error(404, "Not Found");
                      }));
  });
  t.add("GET", path(coordinator, "/config/compaction/{dataSource}/history"), [&svc, version](const call& c,
                                                                                              responder r) {
    std::optional<std::int32_t> count;
    if (!query_number(c, "count", count))
      return r(jetty_error(404, "Not Found"));
    std::optional<druid::interval> range;
    if (auto text = c.param("interval")) {
      range = druid::parse_interval(*text);
      // getCompactionConfigHistory calls Intervals.of before its try block,
      // and Intervals.of throws a DruidException (InvalidInput) that nothing
      // maps: Jersey rethrows it and Jetty answers 500 with its error page.
      if (!range)
        return r(jetty_error(500, "org.apache.druid.error.DruidException: Invalid interval[" + std::string{*text} +
                                    "]: [" + joda_interval_error(*text) + "]"));
    }
    if (count && *count < 1 && !range)
      return r(error_body(400, "Limit must be greater than zero!"));
    svc.config_history({c.captures.at("dataSource"), range, count},
                       answer_with<std::vector<druid::history_entry>>(std::move(r), [version](const auto& entries) {
                         return json_body(200, history_json(entries, version));
                       }));
  });
}

/// The coordinator's status or progress: its own duty's snapshots, or with
/// compaction supervisors (Druid 31) the overlord's, as
/// CoordinatorCompactionResource#isCompactionSupervisorEnabled asks each time.
template <class Answer>
void compaction_state(actors::druid_service& svc, int version, const call& c, responder r, Answer answer) {
  auto ds = c.param("dataSource");
  auto own = [&svc, version, ds, answer](responder r) {
    svc.compaction_status(answer_with<druid::compaction_status>(
      std::move(r), [ds, version, answer](const druid::compaction_status& st) { return answer(st, ds, version); }));
  };
  if (version < 31)
    return own(std::move(r));
  svc.supervisors([r, own, ds, answer](actors::reply<druid::supervisor_board> b) mutable {
    if (!b.ok())
      return r(unavailable(b.error));
    if (b.value->scheduler_running)
      return r(answer(b.value->status, ds, 31));
    own(std::move(r));
  });
}

void add_status_routes(route_table& t, actors::druid_service& svc, int version) {
  t.add("GET", path(coordinator, "/compaction/progress"), [&svc, version](const call& c, responder r) {
    compaction_state(svc, version, c, std::move(r), progress_answer);
  });
  t.add("GET", path(coordinator, "/compaction/status"), [&svc, version](const call& c, responder r) {
    compaction_state(svc, version, c, std::move(r), status_answer);
  });
  t.add("POST", path(coordinator, "/compaction/compact"), [&svc](const call&, responder r) {
    svc.run_duty([r](actors::reply<bool> done) { r(done.ok() ? empty_ok() : unavailable(done.error)); });
  });
}

void add_datasource_routes(route_table& t, actors::druid_service& svc) {
  t.add("GET", path(coordinator, "/datasources"), [&svc](const call&, responder r) {
    svc.timelines(answer_with<druid::store_view>(std::move(r), [](const druid::store_view& v) {
      json::array names;
      for (const auto& tl : v.timelines)
        if (!tl->segments.empty())
          names.push_back(json::string(tl->name));
      return json_body(200, names);
    }));
  });
  t.add("GET", path(coordinator, "/datasources/{dataSource}/segments"), [&svc](const call& c, responder r) {
    bool full = c.query.contains("full");
    svc.timelines(answer_with<druid::store_view>(std::move(r), [ds = c.captures.at("dataSource"), full](const druid::store_view& v) {
      const auto* tl = v.find(ds);
      if (!tl)
        return empty(204);
      json::array list;
      for (const auto& s : tl->segments)
        list.push_back(full ? json::value(segment_json(ds, *tl, s, false)) : json::value(druid::segment_id(ds, s)));
      return json_body(200, list);
    }));
  });
}

// -- the overlord ------------------------------------------------------------------------------

/// Which task states a /tasks listing (or its aliases) includes.
bool listed(const druid::task_row& t, std::string_view state) {
  if (state.empty())
    return true;
  if (state == "complete")
    return !t.active();
  if (!t.active())
    return false;
  return (state == "running" && t.runner == druid::runner_state::running) ||
         (state == "pending" && t.runner == druid::runner_state::pending) ||
         (state == "waiting" && t.runner == druid::runner_state::waiting);
}

void list_tasks(actors::druid_service& svc, const call& c, responder r, std::string state) {
  auto ds = c.param("datasource");
  auto type = c.param("type");
  svc.tasks(state != "complete" && !state.empty(),
            answer_with<druid::task_board>(std::move(r), [state, ds, type](const druid::task_board& b) {
              json::array out;
              std::vector<const druid::task_row*> all;
              for (const auto& t : b.tasks)
                all.push_back(&t);
              // Active tasks first (oldest first), then complete ones (newest first).
              std::stable_partition(all.begin(), all.end(), [](const druid::task_row* t) { return t->active(); });
              auto complete = std::find_if(all.begin(), all.end(), [](const druid::task_row* t) { return !t->active(); });
              std::reverse(complete, all.end());
              for (const auto* t : all)
                if (listed(*t, state) && (!ds || *ds == t->data_source) && (!type || *type == "compact"))
                  out.push_back(task_status_json(*t, true));
              return json_body(200, out);
            }));
}

void add_task_routes(route_table& t, actors::druid_service& svc) {
  t.add("POST", path(indexer, "/task"), [&svc](const call& c, responder r) {
    response bad;
    auto body = read_json_body(c, bad);
    if (!body)
      return r(bad);
    svc.submit(std::move(*body), answer_with<druid::submission>(std::move(r), [raw = c.req.body](const druid::submission& s) {
      if (s.failure && s.failure->kind == druid::error_kind::jackson)
        return error_body(400, with_jackson_location(raw, s.failure->message));
      if (s.failure)
        return druid_error(*s.failure);
      return json_body(200, json::object{{"task", s.id}});
    }));
  });
  t.add("GET", path(indexer, "/task/{taskId}/status"), [&svc](const call& c, responder r) {
    auto id = c.captures.at("taskId");
    svc.task(id, answer_with<druid::task_lookup>(std::move(r), [id](const druid::task_lookup& t) {
      if (!t.found)
        return json_body(404, json::object{{"task", id}, {"status", nullptr}});
      return json_body(200, json::object{{"task", id}, {"status", task_status_json(t.row)}});
    }));
  });
  t.add("GET", path(indexer, "/task/{taskId}"), [&svc](const call& c, responder r) {
    auto id = c.captures.at("taskId");
    svc.task(id, answer_with<druid::task_lookup>(std::move(r), [id](const druid::task_lookup& t) {
      if (!t.found)
        return json_body(404, json::object{{"task", id}, {"payload", nullptr}});
      return json_body(200, json::object{{"task", id}, {"payload", t.payload}});
    }));
  });
  t.add("POST", path(indexer, "/task/{taskId}/shutdown"), [&svc](const call& c, responder r) {
    auto id = c.captures.at("taskId");
    svc.shutdown(id, answer_with<bool>(std::move(r), [id](bool) { return json_body(200, json::object{{"task", id}}); }));
  });
  t.add("GET", path(indexer, "/tasks"), [&svc](const call& c, responder r) {
    auto state = c.param("state").value_or("");
    std::transform(state.begin(), state.end(), state.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (!state.empty() && state != "running" && state != "complete" && state != "waiting" && state != "pending")
      return r(response::text(400, "Invalid state : " + *c.param("state") +
                                       ", valid values are: [pending, waiting, running, complete]"));
    list_tasks(svc, c, std::move(r), state);
  });
  for (auto [alias, state] : {std::pair{"/runningTasks", "running"}, std::pair{"/pendingTasks", "pending"},
                              std::pair{"/waitingTasks", "waiting"}, std::pair{"/completeTasks", "complete"}})
    t.add("GET", path(indexer, alias),
          [&svc, state = std::string{state}](const call& c, responder r) { list_tasks(svc, c, std::move(r), state); });
  t.add("GET", path(indexer, "/totalWorkerCapacity"), [&svc](const call&, responder r) {
    svc.tasks(true, answer_with<druid::task_board>(std::move(r), [](const druid::task_board& b) {
      json::object o;
      o["currentClusterCapacity"] = b.total_capacity;
      o["maximumCapacityWithAutoScale"] = -1; // no autoscaler
      o["usedClusterCapacity"] = b.used_capacity;
      return json_body(200, o);
    }));
  });
  t.add("GET", path(indexer, "/workers"), [&svc](const call&, responder r) {
    svc.tasks(true, answer_with<druid::task_board>(std::move(r), [](const druid::task_board& b) {
      json::array out;
      for (std::size_t i = 0; i < b.workers.size(); ++i) {
        const auto& w = b.workers[i];
        json::object worker{{"scheme", "http"}, {"host", w.host}, {"ip", w.host.substr(0, w.host.find(':'))},
                            {"capacity", w.capacity}, {"version", "0"}, {"category", "_default_worker_category"}};
        json::array running;
        for (const auto& task : b.tasks)
          if (task.runner == druid::runner_state::running && task.worker == static_cast<int>(i))
            running.push_back(json::string(task.id));
        out.push_back(json::object{{"worker", std::move(worker)}, {"currCapacityUsed", w.used},
                                   {"availabilityGroups", json::array{}}, {"runningTasks", std::move(running)},
                                   {"lastCompletedTaskTime", "1970-01-01T00:00:00.000Z"}, {"blacklistedUntil", nullptr}});
      }
      return json_body(200, out);
    }));
  });
}

} // namespace

route_table make_druid_routes(actors::druid_service& svc, int version) {
  route_table t;
  if (version >= 31) {
    add_druid31_routes(t, svc);
    add_supervisor_routes(t, svc);
  }
  add_config_routes(t, svc, version);
  add_status_routes(t, svc, version);
  add_datasource_routes(t, svc);
  add_task_routes(t, svc);
  add_metadata_routes(t, svc);
  add_lock_routes(t, svc);
  t.add("GET", "/status/health", [](const call&, responder r) { r(response::json(200, "true")); });
  // Jetty's answer to a path no resource serves; JAX-RS's to a wrong method.
  t.not_found = jetty_error(404, "Not Found");
  t.method_not_allowed = jetty_error(405, "Method Not Allowed");
  return t;
}

} // namespace compactsim::http
