#include "http/openapi.hpp"

#include <algorithm>
#include <map>

#include <boost/json.hpp>

namespace compactsim::http {

namespace json = boost::json;

namespace {

/// What each route does, for the document; keyed by "METHOD pattern".
const std::map<std::string, std::string>& summaries() {
  static const std::map<std::string, std::string> s{
    {"POST /api/compaction/run", "Trigger a base, cumulative or full compaction of a tablet, or a full compaction of a table"},
    {"GET /api/compaction/run_status", "Is a compaction running on the tablet (or the submitted-task registry)"},
    {"GET /api/compaction/show", "A tablet's rowsets, cumulative point and last compaction times and statuses"},
    {"GET /api/compaction_score", "Tablets by compaction score"},
    {"GET /tablets_json", "The tablets on this BE"},
    {"GET /api/tablets_json", "The tablets on this BE"},
    {"GET /api/health", "BE health"},
    {"GET /druid/coordinator/v1/config/compaction", "Every auto-compaction config with the slot settings"},
    {"POST /druid/coordinator/v1/config/compaction", "Create or update a datasource's auto-compaction config"},
    {"POST /druid/coordinator/v1/config/compaction/taskslots", "Update the compaction task slot ratio and maximum"},
    {"GET /druid/coordinator/v1/config/compaction/{dataSource}", "A datasource's auto-compaction config"},
    {"DELETE /druid/coordinator/v1/config/compaction/{dataSource}", "Remove a datasource's auto-compaction config"},
    {"GET /druid/coordinator/v1/config/compaction/{dataSource}/history", "The audit history of a datasource's config"},
    {"GET /druid/coordinator/v1/compaction/progress", "Bytes awaiting compaction for a datasource"},
    {"GET /druid/coordinator/v1/compaction/status", "The latest auto-compaction status per datasource"},
    {"POST /druid/coordinator/v1/compaction/compact", "Run the CompactSegments duty now"},
    {"POST /druid/indexer/v1/task", "Submit a compaction task"},
    {"GET /druid/indexer/v1/task/{taskId}/status", "A task's status"},
    {"GET /druid/indexer/v1/task/{taskId}", "A task's payload"},
    {"POST /druid/indexer/v1/task/{taskId}/shutdown", "Shut a task down"},
    {"GET /druid/indexer/v1/tasks", "Tasks, by state and datasource"},
    {"GET /druid/indexer/v1/totalWorkerCapacity", "Worker task slots"},
    {"GET /status/health", "Router health"},
    {"GET /healthz", "The process is alive"},
    {"GET /readyz", "Every actor answered within the bound"},
    {"POST /sim/v1/faults", "Inject a fault (the scenario files' JSON)"},
    {"GET /sim/v1/faults", "The active faults"},
    {"DELETE /sim/v1/faults", "Heal every fault"},
    {"DELETE /sim/v1/faults/{id}", "Heal one fault"},
    {"POST /sim/v1/http-faults", "Add an HTTP-level fault rule"},
    {"GET /sim/v1/http-faults", "The HTTP-level fault rules"},
    {"DELETE /sim/v1/http-faults", "Remove every HTTP-level fault rule"},
    {"DELETE /sim/v1/http-faults/{id}", "Remove one HTTP-level fault rule"},
    {"GET /sim/v1/state", "Nodes, tablets, datasources, tasks and faults"},
    {"GET /sim/v1/clock", "Simulated time and speed"},
    {"POST /sim/v1/clock", "Change the speed of simulated time"},
    {"POST /sim/v1/scenario", "Reset to a scenario's cluster and put its faults and heals on the live timeline"},
    {"POST /sim/v1/reset", "Replace the cluster with a fresh one (the initial or a given config), without a restart"},
    {"GET /sim/v1/openapi.json", "This document"},
    {"GET /metrics", "Prometheus metrics"},
  };
  return s;
}

} // namespace

json::object openapi_document(const std::vector<std::pair<std::string, const route_table*>>& apis) {
  json::object paths;
  for (const auto& [tag, table] : apis) {
    for (const auto& [method, pattern] : table->routes()) {
      auto& item = paths[pattern];
      if (!item.is_object())
        item = json::object{};
      std::string lower = method;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      auto found = summaries().find(method + " " + pattern);
      json::object op;
      op["tags"] = json::array{json::string(tag)};
      op["summary"] = found == summaries().end() ? pattern : found->second;
      json::array params;
      for (std::size_t at = pattern.find('{'); at != std::string::npos; at = pattern.find('{', at + 1)) {
        auto end = pattern.find('}', at);
        params.push_back(json::object{{"name", pattern.substr(at + 1, end - at - 1)}, {"in", "path"}, {"required", true},
                                      {"schema", json::object{{"type", "string"}}}});
      }
      if (!params.empty())
        op["parameters"] = std::move(params);
      op["responses"] = json::object{{"200", json::object{{"description", "OK"}}},
                                     {"default", json::object{{"description", "The real system's error"}}}};
      item.as_object()[lower] = std::move(op);
    }
  }
  json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = json::object{{"title", "compactsim"},
                             {"version", "1"},
                             {"description", "A simulated Apache Doris / Apache Druid compaction cluster: the Doris BE "
                                             "API (each BE port), the Druid router API, and the control API."}};
  doc["paths"] = std::move(paths);
  return doc;
}

} // namespace compactsim::http
