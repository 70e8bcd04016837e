#include "sim/druid/compaction_status.hpp"

#include <string_view>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

std::string canonical_partitions(const json::value& tuning, std::optional<std::int64_t> max_rows) {
  auto p = normalized_partitions_spec(tuning, max_rows);
  // CompactionStatus: a dynamic spec without maxTotalRows means Long.MAX_VALUE.
  if (p.contains("type") && p.at("type") == "dynamic" && (!p.contains("maxTotalRows") || p.at("maxTotalRows").is_null()))
    p["maxTotalRows"] = INT64_MAX;
  return json::serialize(p);
}

std::string canonical_index_spec(const json::value& tuning) {
  if (tuning.is_object()) {
    auto it = tuning.as_object().find("indexSpec");
    if (it != tuning.as_object().end() && !it->value().is_null())
      return json::serialize(it->value());
  }
  return R"({"bitmap":{"type":"roaring"},"dimensionCompression":"lz4","stringDictionaryEncoding":{"type":"utf8"},)"
         R"("metricCompression":"lz4","longEncoding":"longs"})";
}

namespace {

/// Java's String.format("%,d", n).
std::string grouped(std::int64_t n) {
  auto digits = std::to_string(n < 0 ? -(n + 1) + 1ULL : static_cast<unsigned long long>(n));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

/// A List<String> as Java's AbstractCollection#toString writes it.
std::string java_list(const json::value& v) {
  std::string out = "[";
  if (v.is_array())
    for (const auto& x : v.as_array())
      out += (out.size() > 1 ? ", " : "") + (x.is_string() ? std::string{x.get_string()} : json::serialize(x));
  return out + "]";
}

/// CompactionStatus#asString(PartitionsSpec) over a stored spec's JSON, after
/// getEffectiveRangePartitionsSpec (a range spec keeps its dimensions and
/// its resolved max, so its target prints as null).
std::string partitions_as_string(const std::string& spec_json) {
  auto v = json::parse(spec_json);
  const auto& o = v.as_object();
  auto get = [&](const char* key) { return o.contains(key) ? o.at(key) : json::value(nullptr); };
  auto type = get("type").is_string() ? std::string{get("type").get_string()} : std::string{"dynamic"};
  auto rows = [&](const json::value& n) { return n.is_int64() ? grouped(n.get_int64()) : std::string{"null"}; };
  if (type == "dynamic") {
    auto max = get("maxRowsPerSegment");
    return "'dynamic' with " + (max.is_int64() ? grouped(max.get_int64()) : grouped(default_max_rows_per_segment)) + " rows";
  }
  if (type == "hashed") {
    // HashedPartitionsSpec: maxRowsPerSegment is the deprecated name of the
    // target; with neither nor numShards the target is the default.
    auto target = get("targetRowsPerSegment").is_null() ? get("maxRowsPerSegment") : get("targetRowsPerSegment");
    if (target.is_null() && get("numShards").is_null())
      target = default_max_rows_per_segment;
    return "'hashed' on " + java_list(get("partitionDimensions")) + " with " + rows(target) + " rows";
  }
  auto dims = type == "single_dim" ? json::value(json::array{get("partitionDimension")}) : get("partitionDimensions");
  return "'range' on " + java_list(dims) + " with null rows";
}

/// A JSON string field's text, or Java's "null".
std::string text_or_null(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return "null";
  return it->value().is_string() ? std::string{it->value().get_string()} : json::serialize(it->value());
}

/// DimensionSchema#toString for the built-in types; JSON for others.
std::string dimension_to_string(const json::value& d) {
  if (!d.is_object())
    return json::serialize(d);
  const auto& o = d.as_object();
  auto type = text_or_null(o, "type");
  std::string column = type == "string" ? "STRING" : type == "long" ? "LONG" : type == "float" ? "FLOAT"
                       : type == "double" ? "DOUBLE" : "";
  if (column.empty())
    return json::serialize(d);
  return "DimensionSchema{name='" + text_or_null(o, "name") + "', valueType=" + column + ", typeName=" + type +
         ", multiValueHandling=" + text_or_null(o, "multiValueHandling") +
         ", createBitmapIndex=" + text_or_null(o, "createBitmapIndex") + "}";
}

/// AggregatorFactory#toString for count and the simple sums, mins and
/// maxes (LongSumAggregatorFactory{fieldName='a', expression='null', name='a'}); JSON for others.
std::string aggregator_to_string(const json::value& a) {
  if (!a.is_object())
    return json::serialize(a);
  const auto& o = a.as_object();
  auto type = text_or_null(o, "type");
  if (type == "count")
    return "CountAggregatorFactory{name='" + text_or_null(o, "name") + "'}";
  static const std::pair<std::string_view, std::string_view> simple[] = {
    {"longSum", "LongSum"},   {"doubleSum", "DoubleSum"}, {"floatSum", "FloatSum"}, {"longMin", "LongMin"},
    {"longMax", "LongMax"},   {"doubleMin", "DoubleMin"}, {"doubleMax", "DoubleMax"}, {"floatMin", "FloatMin"},
    {"floatMax", "FloatMax"}};
  for (auto [id, cls] : simple)
    if (type == id)
      return std::string{cls} + "AggregatorFactory{fieldName='" + text_or_null(o, "fieldName") + "', expression='" +
             text_or_null(o, "expression") + "', name='" + text_or_null(o, "name") + "'}";
  return json::serialize(a);
}

/// A List (String.valueOf) or an array (Arrays.toString) of `each`; "null"
/// for none (and for an empty one when `empty_is_null`, as
/// metricsSpecIsUpToDate's isNullOrEmpty has it).
template <class Each>
std::string java_objects(const std::string& list_json, Each each, bool empty_is_null = false) {
  if (list_json.empty())
    return "null";
  auto v = json::parse(list_json);
  if (!v.is_array())
    return list_json;
  if (empty_is_null && v.as_array().empty())
    return "null";
  std::string out = "[";
  for (const auto& x : v.as_array())
    out += (out.size() > 1 ? ", " : "") + each(x);
  return out + "]";
}

/// CompactionStatus#configChanged: "'field' mismatch: required[x], current[y]".
std::string mismatch(std::string_view field, std::string_view required, std::string_view current) {
  return "'" + std::string{field} + "' mismatch: required[" + std::string{required} + "], current[" +
         std::string{current} + "]";
}

std::string granularity_or_null(const std::optional<granularity>& g) {
  return g ? std::string{to_string(*g)} : std::string{"null"};
}

} // namespace

std::optional<std::string> needs_compaction(const timeline& t, const std::vector<const segment*>& segs,
                                            const datasource_config& cfg) {
  // CompactionStatus.Evaluator (Druid 31, d06327ab24): the first check that
  // is not complete gives the reason. Dimensions and aggregators print as
  // their Java toString; indexSpec and the filter still print as JSON.
  const compaction_state* st = t.state(*segs.front());
  if (!st)
    return "not compacted yet";
  // CompactionState#equals: by value (the same stamp is the same state).
  for (const auto* s : segs)
    if (s->state != segs.front()->state &&
        (!t.state(*s) || !(*t.state(*s) == *st) || !(*t.state_interval(*s) == *t.state_interval(*segs.front()))))
      return "segments have different last compaction states";
  if (auto want = canonical_partitions(cfg.tuning_config, cfg.max_rows_per_segment); want != st->partitions_spec)
    return mismatch("partitionsSpec", partitions_as_string(want), partitions_as_string(st->partitions_spec));
  if (auto want = canonical_index_spec(cfg.tuning_config); want != st->index_spec)
    return mismatch("indexSpec", want, st->index_spec);
  if (cfg.segment_granularity) {
    if (!st->segment_granularity) {
      for (const auto* s : segs)
        if (!aligned(*cfg.segment_granularity, s->span))
          return "segmentGranularity: segments do not align with target[" + std::string{to_string(*cfg.segment_granularity)} + "]";
    } else if (*st->segment_granularity != *cfg.segment_granularity) {
      return mismatch("segmentGranularity", to_string(*cfg.segment_granularity), to_string(*st->segment_granularity));
    }
  }
  if (cfg.has_granularity_spec) {
    if (cfg.query_granularity && cfg.query_granularity != st->query_granularity)
      return mismatch("queryGranularity", to_string(*cfg.query_granularity), granularity_or_null(st->query_granularity));
    if (cfg.rollup && cfg.rollup != st->rollup)
      return mismatch("rollup", *cfg.rollup ? "true" : "false", st->rollup ? (*st->rollup ? "true" : "false") : "null");
  }
  if (cfg.dimensions_spec.is_object() && !cfg.dimensions_spec.at("dimensions").is_null()) {
    auto want = json::serialize(cfg.dimensions_spec.at("dimensions"));
    if (want != st->dimensions)
      return mismatch("dimensionsSpec", java_objects(want, dimension_to_string),
                      java_objects(st->dimensions, dimension_to_string));
  }
  if (cfg.metrics_spec.is_array() && !cfg.metrics_spec.as_array().empty()) {
    auto want = json::serialize(cfg.metrics_spec);
    if (want != st->metrics)
      return mismatch("metricsSpec", java_objects(want, aggregator_to_string),
                      java_objects(st->metrics, aggregator_to_string, true));
  }
  if (cfg.transform_spec.is_object()) {
    const auto& filter = cfg.transform_spec.at("filter");
    if (json::serialize(filter) != st->filter && !(filter.is_null() && st->filter.empty()))
      return mismatch("transformSpec filter", json::serialize(filter), st->filter.empty() ? "null" : st->filter);
  }
  return std::nullopt;
}

} // namespace compactsim::sim::druid
