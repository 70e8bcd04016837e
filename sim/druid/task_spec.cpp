//! The compact task spec CompactSegments submits for a candidate
//! (ClientCompactionTaskQuery, as Druid 30's coordinator writes it).

#include "sim/druid/task_spec.hpp"

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace {

json::value json_or_null(const std::optional<granularity>& g) {
  return g ? granularity_json(*g) : json::value(nullptr);
}

/// ClientCompactionTaskQueryTuningConfig.from(config.getTuningConfig(),
/// config.getMaxRowsPerSegment(), config.getMetricsSpec() != null): never
/// null; the deprecated top-level maxRowsPerSegment rides along as its own
/// field (the overlord folds it into a dynamic partitionsSpec), every other
/// field is the user's or null.
json::object client_tuning_config(const datasource_config& cfg) {
  const json::object empty;
  const auto& user = cfg.tuning_config.is_object() ? cfg.tuning_config.as_object() : empty;
  auto get = [&](const char* key) { return user.contains(key) ? user.at(key) : json::value(nullptr); };
  json::object t;
  t["type"] = "index_parallel";
  t["maxRowsPerSegment"] = cfg.max_rows_per_segment ? json::value(*cfg.max_rows_per_segment) : json::value(nullptr);
  for (const char* key : {"maxRowsInMemory", "maxBytesInMemory", "maxTotalRows", "splitHintSpec", "partitionsSpec",
                          "indexSpec", "indexSpecForIntermediatePersists", "maxPendingPersists"})
    t[key] = get(key);
  const auto& partitions = t["partitionsSpec"];
  t["forceGuaranteedRollup"] = partitions.is_object() && partitions.as_object().contains("type") &&
                               partitions.at("type") != json::value("dynamic");
  for (const char* key : {"pushTimeout", "segmentWriteOutMediumFactory", "maxNumConcurrentSubTasks", "maxRetry",
                          "taskStatusCheckPeriodMs", "chatHandlerTimeout", "chatHandlerNumRetries",
                          "maxNumSegmentsToMerge", "totalNumMergeTasks", "maxColumnsToMerge"})
    t[key] = get(key);
  t["appendableIndexSpec"] =
    user.contains("appendableIndexSpec") && user.at("appendableIndexSpec").is_object()
      ? user.at("appendableIndexSpec")
      : json::value(json::object{{"type", "onheap"}, {"preserveExistingMetrics", !cfg.metrics_spec.is_null()}});
  return t;
}

} // namespace

json::object task_spec(const std::string& id, const datasource_config& cfg, interval span,
                       std::optional<granularity> segment_granularity, bool all_tombstones) {
  json::object input;
  input["type"] = "interval";
  input["interval"] = format_interval(span);
  input["sha256OfSortedSegmentIds"] = nullptr;
  json::object io;
  io["type"] = "compact";
  io["inputSpec"] = std::move(input);
  io["dropExisting"] = cfg.io_config.is_object() ? cfg.io_config.at("dropExisting") : json::value(nullptr);
  // CompactSegments#submitCompactionTasks forces dropExisting when every
  // segment is a tombstone: the task then writes compacted tombstones, and
  // the duty does not find the same ones run after run.
  if (!(io["dropExisting"].is_bool() && io["dropExisting"].get_bool()) && all_tombstones)
    io["dropExisting"] = true;
  json::object gran;
  gran["segmentGranularity"] = json_or_null(segment_granularity);
  gran["queryGranularity"] = json_or_null(cfg.query_granularity);
  gran["rollup"] = cfg.rollup ? json::value(*cfg.rollup) : json::value(nullptr);
  json::object context = cfg.task_context.is_object() ? cfg.task_context.as_object() : json::object{};
  context["storeCompactionState"] = true;
  context["priority"] = cfg.task_priority;
  json::object spec;
  spec["type"] = "compact";
  spec["id"] = id;
  spec["dataSource"] = cfg.data_source;
  spec["ioConfig"] = std::move(io);
  spec["tuningConfig"] = client_tuning_config(cfg);
  spec["granularitySpec"] = std::move(gran);
  spec["dimensionsSpec"] = cfg.dimensions_spec;
  spec["metricsSpec"] = cfg.metrics_spec;
  spec["transformSpec"] = cfg.transform_spec;
  spec["context"] = std::move(context);
  return spec;
}


} // namespace compactsim::sim::druid
