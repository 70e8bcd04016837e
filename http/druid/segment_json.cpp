#include "http/druid/segment_json.hpp"

#include <boost/json.hpp>

#include "sim/core/iso8601.hpp"
#include "sim/druid/config.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

json::object segment_json(const std::string& ds, const druid::timeline& tl, const druid::segment& s,
                          bool with_compaction_state) {
  const auto& schema = tl.schema(s);
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v)
      out += (out.empty() ? "" : ",") + x;
    return out;
  };
  json::object o;
  o["dataSource"] = ds;
  o["interval"] = druid::format_interval(s.span);
  o["version"] = druid::format_instant(s.version);
  json::object load;
  if (s.tombstone) {
    load["type"] = "tombstone";
  } else {
    load["type"] = "local";
    load["path"] = "/var/druid/segments/" + druid::segment_id(ds, s) + "/index.zip";
  }
  o["loadSpec"] = std::move(load);
  o["dimensions"] = join(schema.dimensions);
  o["metrics"] = join(schema.metrics);
  json::object shard;
  shard["type"] = s.tombstone ? "tombstone" : "numbered";
  shard["partitionNum"] = s.partition;
  shard["partitions"] = s.partitions;
  o["shardSpec"] = std::move(shard);
  // DataSegment writes lastCompactionState only when set (NON_NULL), and
  // historicals prune it from what they serve; the metadata store keeps it.
  const auto* st = with_compaction_state ? tl.state(s) : nullptr;
  if (st) {
    json::object state;
    state["partitionsSpec"] = json::parse(st->partitions_spec);
    // new DimensionsSpec(dataSchema's dimensions): no exclusions, and the
    // creator's order (spatialDimensions has no getter, so it is not written).
    json::object dims;
    dims["dimensions"] = st->dimensions.empty() ? json::value(json::array{}) : json::parse(st->dimensions);
    dims["dimensionExclusions"] = json::array{};
    dims["includeAllDimensions"] = false;
    dims["useSchemaDiscovery"] = false;
    state["dimensionsSpec"] = std::move(dims);
    state["metricsSpec"] = st->metrics.empty() ? json::value(nullptr) : json::parse(st->metrics);
    // AbstractBatchIndexTask#addCompactionStateToSegments: null for
    // TransformSpec.NONE, else only the filter (ClientCompactionTaskTransformSpec).
    state["transformSpec"] = st->filter.empty() ? json::value(nullptr) : json::value(json::object{{"filter", json::parse(st->filter)}});
    state["indexSpec"] = json::parse(st->index_spec);
    json::object gran;
    gran["type"] = "uniform";
    gran["segmentGranularity"] = st->segment_granularity ? druid::granularity_json(*st->segment_granularity) : json::value(nullptr);
    gran["queryGranularity"] = st->query_granularity ? druid::granularity_json(*st->query_granularity) : json::value(nullptr);
    gran["rollup"] = st->rollup ? json::value(*st->rollup) : json::value(nullptr);
    // The compacting task's data schema interval (CompactionTask#createDataSchema).
    gran["intervals"] = json::array{json::value(druid::format_interval(*tl.state_interval(s)))};
    state["granularitySpec"] = std::move(gran);
    o["lastCompactionState"] = std::move(state);
  }
  o["binaryVersion"] = 9;
  o["size"] = s.size;
  o["identifier"] = druid::segment_id(ds, s);
  return o;
}

} // namespace compactsim::http
