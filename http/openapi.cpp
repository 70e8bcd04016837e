#include "http/openapi.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include <boost/json.hpp>

namespace compactsim::http {

namespace json = boost::json;

namespace {

/// A query parameter a route reads.
struct query_param {
  const char* name;
  const char* description;
};

/// What a route does and the query parameters it reads.
struct route_doc {
  const char* summary;
  std::vector<query_param> query;
};

/// Every route's documentation, keyed by "METHOD pattern". A route missing
/// here has no summary in the document, and the tests fail on it.
const std::map<std::string, route_doc>& docs() {
  static const query_param tablet_id{"tablet_id", "The tablet's id"};
  static const std::map<std::string, route_doc> d{
    {"POST /api/compaction/run", {"Trigger a base, cumulative or full compaction of a tablet, or a full compaction of a table",
      {tablet_id, {"table_id", "Every local tablet of this table (full compaction)"},
       {"compact_type", "base, cumulative or full"}, {"remote", "Doris 3.0+ (cloud): where the compaction runs"}}}},
    {"GET /api/compaction/run_status", {"Is a compaction running on the tablet (without tablet_id: the submitted-task registry)", {tablet_id}}},
    {"GET /api/compaction/show", {"A tablet's rowsets, cumulative point and last compaction times and statuses", {tablet_id}}},
    {"GET /api/compaction_score", {"Tablets by compaction score, highest first", {{"top_n", "How many tablets to list"}}}},
    {"GET /tablets_json", {"The tablets on this BE", {{"limit", "How many tablets, or all (default 1000)"}}}},
    {"GET /api/tablets_json", {"The tablets on this BE", {{"limit", "How many tablets, or all (default 1000)"}}}},
    {"GET /api/health", {"BE health", {}}},
    {"GET /api/show_config", {"The BE's configuration items as [name, type, value, mutable]", {{"conf_item", "Only this item"}}}},
    {"POST /api/update_config", {"Change mutable configuration items: NAME=VALUE parameters", {{"persist", "Also write be_custom.conf (true or false)"}}}},
    {"GET /api/meta/header/{tablet_id}", {"A tablet's meta (TabletMetaPB as JSON): rowset metas, cumulative point, schema hash", {}}},
    {"GET /api/delete_bitmap/count_local", {"A merge-on-write tablet's local delete bitmap: entries, cardinality and size",
      {tablet_id, {"verbose", "true: list every bitmap entry"}}}},
    {"GET /api/be_version_info", {"The BE's build version", {}}},
    {"GET /api/report/tablet", {"Report the BE's tablets to the FE now", {}}},
    {"GET /api/report/disk", {"Report the BE's disks to the FE now", {}}},
    {"GET /api/report/task", {"Report the BE's tasks to the FE now", {}}},
    {"GET /api/report/{name}", {"Any other reporter: 500 unknown reporter", {}}},
    {"POST /api/debug_point/add/{name}", {"Enable a debug point (Compaction.failed, TxnManager.prepare_txn.random_failed)",
      {{"timeout", "Seconds until the point disables itself"}, {"execute", "Times it fires before it disables itself"}}}},
    {"POST /api/debug_point/remove/{name}", {"Disable a debug point", {}}},
    {"POST /api/debug_point/clear", {"Disable every debug point", {}}},
    {"GET /druid/coordinator/v1/config/compaction", {"Every auto-compaction config with the slot settings", {}}},
    {"POST /druid/coordinator/v1/config/compaction", {"Create or update a datasource's auto-compaction config", {}}},
    {"POST /druid/coordinator/v1/config/compaction/taskslots", {"Update the compaction task slot ratio and maximum",
      {{"ratio", "Share of the cluster's task slots for compaction"}, {"max", "At most this many slots"}}}},
    {"GET /druid/coordinator/v1/config/compaction/{dataSource}", {"A datasource's auto-compaction config", {}}},
    {"DELETE /druid/coordinator/v1/config/compaction/{dataSource}", {"Remove a datasource's auto-compaction config", {}}},
    {"GET /druid/coordinator/v1/config/compaction/{dataSource}/history", {"The audit history of a datasource's config",
      {{"interval", "Only entries in this ISO-8601 interval"}, {"count", "Only the latest N entries"}}}},
    {"GET /druid/coordinator/v1/compaction/progress", {"Bytes awaiting compaction for a datasource", {{"dataSource", "The datasource"}}}},
    {"GET /druid/coordinator/v1/compaction/status", {"The latest auto-compaction status per datasource", {{"dataSource", "Only this datasource"}}}},
    {"POST /druid/coordinator/v1/compaction/compact", {"Run the CompactSegments duty now", {}}},
    {"POST /druid/coordinator/v1/compaction/simulate",
     {"Druid 31: what a duty run would compact and skip, with unlimited slots (CompactionRunSimulator)", {}}},
    {"POST /druid/coordinator/v1/config/compaction/cluster",
     {"Druid 31: update the cluster compaction config (slot ratio, maximum, auto-scale, compactionPolicy)", {}}},
    {"POST /druid/indexer/v1/compaction/simulate",
     {"Druid 31: the overlord scheduler's simulation over the active supervisors (empty: supervisors disabled)", {}}},
    {"GET /druid/indexer/v1/compaction/isSupervisorEnabled", {"Druid 31: whether compaction supervisors run", {}}},
    {"GET /druid/indexer/v1/compaction/progress", {"Druid 31: the overlord's compaction progress (501: supervisors disabled)",
      {{"dataSource", "The datasource"}}}},
    {"GET /druid/indexer/v1/compaction/status", {"Druid 31: the overlord's compaction status (501: supervisors disabled)",
      {{"dataSource", "Only this datasource"}}}},
    {"POST /druid/indexer/v1/supervisor", {"Druid 31: create or update an autocompact supervisor ({\"id\": ...})", {}}},
    {"GET /druid/indexer/v1/supervisor", {"Druid 31: the supervisor ids, or their states",
      {{"full", "Each supervisor's state and spec"}, {"state", "true: each supervisor's state"},
       {"system", "Each supervisor's state, spec string, type and source"}}}},
    {"GET /druid/indexer/v1/supervisor/history", {"Druid 31: every supervisor's spec history, newest first", {}}},
    {"POST /druid/indexer/v1/supervisor/suspendAll", {"Druid 31: suspend every supervisor", {}}},
    {"POST /druid/indexer/v1/supervisor/resumeAll", {"Druid 31: resume every supervisor", {}}},
    {"POST /druid/indexer/v1/supervisor/terminateAll", {"Druid 31: terminate every supervisor", {}}},
    {"GET /druid/indexer/v1/supervisor/{id}", {"Druid 31: a supervisor's spec", {}}},
    {"GET /druid/indexer/v1/supervisor/{id}/status", {"Druid 31: a supervisor's report (its datasource's AutoCompactionSnapshot)", {}}},
    {"GET /druid/indexer/v1/supervisor/{id}/history", {"Druid 31: a supervisor's spec history, newest first", {}}},
    {"POST /druid/indexer/v1/supervisor/{id}/suspend", {"Druid 31: suspend a supervisor (its spec back)", {}}},
    {"POST /druid/indexer/v1/supervisor/{id}/resume", {"Druid 31: resume a supervisor (its spec back)", {}}},
    {"POST /druid/indexer/v1/supervisor/{id}/terminate", {"Druid 31: stop and remove a supervisor", {}}},
    {"POST /druid/indexer/v1/supervisor/{id}/shutdown", {"Druid 31: terminate's deprecated name", {}}},
    {"POST /druid/indexer/v1/supervisor/{id}/reset", {"Druid 31: 500, autocompact supervisors cannot be reset", {}}},
    {"GET /druid/coordinator/v1/datasources", {"The datasources that have used segments", {}}},
    {"GET /druid/coordinator/v1/datasources/{dataSource}/segments", {"A datasource's used segments (ids, or full objects with full)",
      {{"full", "Full segment objects instead of ids"}}}},
    {"GET /druid/coordinator/v1/metadata/datasources", {"Datasources with used segments, sorted (MetadataResource)", {}}},
    {"GET /druid/coordinator/v1/metadata/datasources/{dataSource}/segments",
     {"A datasource's used segment ids, or full DataSegments with lastCompactionState", {{"full", "Full segment objects"}}}},
    {"GET /druid/coordinator/v1/datasources/{dataSource}/intervals", {"Intervals of the served segments, newest first", {}}},
    {"GET /druid/coordinator/v1/datasources/{dataSource}/loadstatus", {"Percent of the used segments loaded",
      {{"forceMetadataRefresh", "Required: poll the metadata store first"}, {"interval", "Segments in this interval (default: the last 14 days)"}}}},
    {"POST /druid/indexer/v1/lockedIntervals", {"Intervals locked at or above a priority, per datasource (v1: {dataSource: priority})", {}}},
    {"POST /druid/indexer/v1/lockedIntervals/v2", {"Intervals locked at or above a priority, per datasource (v2: lock filter policies)", {}}},
    {"POST /druid/indexer/v1/task", {"Submit a compaction task", {}}},
    {"GET /druid/indexer/v1/task/{taskId}/status", {"A task's status", {}}},
    {"GET /druid/indexer/v1/task/{taskId}", {"A task's payload", {}}},
    {"POST /druid/indexer/v1/task/{taskId}/shutdown", {"Shut a task down", {}}},
    {"GET /druid/indexer/v1/tasks", {"Tasks, by state and datasource",
      {{"state", "waiting, pending, running or complete"}, {"datasource", "Only this datasource"},
       {"type", "Only tasks of this type"}}}},
    {"GET /druid/indexer/v1/runningTasks", {"Running tasks", {}}},
    {"GET /druid/indexer/v1/pendingTasks", {"Pending tasks (no worker slot yet)", {}}},
    {"GET /druid/indexer/v1/waitingTasks", {"Waiting tasks (no lock yet)", {}}},
    {"GET /druid/indexer/v1/completeTasks", {"Complete tasks", {}}},
    {"GET /druid/indexer/v1/workers", {"The MiddleManagers with their capacity and running tasks", {}}},
    {"GET /druid/indexer/v1/totalWorkerCapacity", {"Worker task slots", {}}},
    {"GET /status/health", {"Router health", {}}},
    {"GET /healthz", {"The process is alive", {}}},
    {"GET /readyz", {"Every actor answered within the bound", {}}},
    {"POST /sim/v1/faults", {"Inject a fault (the scenario files' JSON)", {}}},
    {"GET /sim/v1/faults", {"The active faults", {}}},
    {"DELETE /sim/v1/faults", {"Heal every fault", {}}},
    {"DELETE /sim/v1/faults/{id}", {"Heal one fault", {}}},
    {"POST /sim/v1/http-faults", {"Add an HTTP-level fault rule", {}}},
    {"GET /sim/v1/http-faults", {"The HTTP-level fault rules", {}}},
    {"DELETE /sim/v1/http-faults", {"Remove every HTTP-level fault rule", {}}},
    {"DELETE /sim/v1/http-faults/{id}", {"Remove one HTTP-level fault rule", {}}},
    {"POST /sim/v1/ingest", {"Load into Doris tables or stream segments into Druid datasources now", {}}},
    {"GET /sim/v1/state", {"Nodes, tablets, datasources, tasks and faults",
      {{"offset", "First tablet (by id) to list"}, {"limit", "How many tablets to list"}}}},
    {"GET /sim/v1/clock", {"Simulated time and speed", {}}},
    {"POST /sim/v1/clock", {"Change the speed of simulated time", {}}},
    {"POST /sim/v1/scenario", {"Reset to a scenario's cluster and put its faults and heals on the live timeline",
      {{"seed", "The seed for the scenario's ranges"}}}},
    {"POST /sim/v1/reset", {"Replace the cluster with a fresh one (the initial or a given config), without a restart", {}}},
    {"GET /sim/v1/openapi.json", {"This document", {}}},
    {"GET /", {"The dashboard (an HTML page)", {}}},
    {"GET /ui/{file}", {"The dashboard's scripts, styles and the embedded uPlot", {}}},
    {"GET /sim/v1/dashboard", {"What the dashboard shows: nodes, BEs, top tablets, datasources, tasks, and the charted history",
      {{"top", "How many tablets by score (default 20)"}, {"since", "Only history samples after this simulated time in ms (-1: all)"}}}},
    {"GET /sim/v1/dashboard/tablets/{tablet_id}", {"A tablet's rowsets, stale rowsets, cumulative point and scores on one BE",
      {{"be", "The BE's index (default 0)"}}}},
    {"GET /sim/v1/dashboard/datasources/{dataSource}", {"A datasource's time chunks (compacted or not), locks and active tasks",
      {{"limit", "At most this many chunks, the newest (default 500)"}}}},
    {"GET /sim/v1/record", {"Whether a recording runs, and how many requests it holds", {}}},
    {"POST /sim/v1/record", {"Start recording ({\"action\": \"start\"}: resets the cluster) or stop and get the scenario file", {}}},
    {"GET /sim/v1/fault-kinds", {"The fault vocabulary: each kind's targets and parameters, and this cluster's nodes", {}}},
    {"GET /metrics", {"Prometheus metrics", {}}},
  };
  return d;
}

/// Path parameters, the same wherever they appear.
const char* path_param_description(const std::string& name) {
  if (name == "dataSource") return "The datasource's name";
  if (name == "taskId") return "The task's id";
  if (name == "tablet_id") return "The tablet's id";
  if (name == "name") return "The debug point's or reporter's name";
  if (name == "id") return "The id the POST answered with";
  if (name == "file") return "The file's name";
  return "";
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
      auto found = docs().find(method + " " + pattern);
      json::object op;
      op["tags"] = json::array{json::string(tag)};
      if (found != docs().end())
        op["summary"] = found->second.summary;
      json::array params;
      for (std::size_t at = pattern.find('{'); at != std::string::npos; at = pattern.find('{', at + 1)) {
        auto end = pattern.find('}', at);
        auto name = pattern.substr(at + 1, end - at - 1);
        params.push_back(json::object{{"name", name}, {"in", "path"}, {"required", true},
                                      {"description", path_param_description(name)},
                                      {"schema", json::object{{"type", "string"}}}});
      }
      if (found != docs().end())
        for (const auto& q : found->second.query)
          params.push_back(json::object{{"name", q.name}, {"in", "query"}, {"required", false},
                                        {"description", q.description}, {"schema", json::object{{"type", "string"}}}});
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
