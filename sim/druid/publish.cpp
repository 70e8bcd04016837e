#include "sim/druid/overlord.hpp"
//! What a compaction task writes when it finishes (overlord::publish): its
//! output segments, the rows its filter and rollup keep, their partitioning
//! and versions, and tombstones for emptied chunks.

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace {

constexpr std::int64_t default_target_rows = 5'000'000;
constexpr std::int64_t max_segments_per_chunk = 10'000; ///< keeps a huge numShards from exhausting memory

const json::value& field(const json::object& o, std::string_view k) { return member(o, k); }

/// Share of rows a Druid filter keeps, estimated from dimension cardinalities.
double kept_share(const json::value& f, const datasource_profile& p, std::int64_t default_card) {
  if (!f.is_object())
    return 1.0;
  const auto& o = f.as_object();
  auto type = field(o, "type").is_string() ? std::string{field(o, "type").get_string()} : std::string{};
  auto card = [&]() -> double {
    auto dim = field(o, "dimension");
    if (!dim.is_string())
      return double(default_card);
    auto it = p.cardinality.find(std::string{dim.get_string()});
    return double(it == p.cardinality.end() ? default_card : std::max<std::int64_t>(it->second, 1));
  };
  if (type == "selector" || type == "equals")
    return 1.0 / card();
  if (type == "in")
    return std::min(1.0, double(field(o, "values").is_array() ? field(o, "values").as_array().size() : 0) / card());
  if (type == "not")
    return 1.0 - kept_share(field(o, "field"), p, default_card);
  if (type == "and" || type == "or") {
    double keep = type == "and" ? 1.0 : 0.0;
    if (field(o, "fields").is_array())
      for (const auto& sub : field(o, "fields").as_array()) {
        double s = kept_share(sub, p, default_card);
        keep = type == "and" ? keep * s : 1.0 - (1.0 - keep) * (1.0 - s);
      }
    return keep;
  }
  if (type == "true")
    return 1.0;
  if (type == "false")
    return 0.0;
  return 0.5; // bound, like, regex, search, expression: half the rows
}

std::int64_t target_rows(const json::object& partitions) {
  for (auto key : {"maxRowsPerSegment", "targetRowsPerSegment"})
    if (field(partitions, key).is_int64() && field(partitions, key).get_int64() > 0)
      return field(partitions, key).get_int64();
  return default_target_rows;
}


std::vector<std::string> names_of(const json::value& list) {
  std::vector<std::string> out;
  if (!list.is_array())
    return out;
  for (const auto& d : list.as_array()) {
    if (d.is_string())
      out.emplace_back(d.get_string());
    else if (d.is_object() && field(d.as_object(), "name").is_string())
      out.emplace_back(field(d.as_object(), "name").get_string());
  }
  return out;
}

} // namespace

void overlord::publish(compact_task& t, time_ms now) {
  // `inputs` point into this timeline; writable() below may swap in a copy
  // while a duty snapshot on another thread drops the old one: hold it.
  std::shared_ptr<const timeline> before = store_.datasources().at(t.data_source);
  const auto& tl = *before;
  auto inputs = tl.overlapping(t.span);
  const auto& schema = tl.schema(*inputs.front());
  auto profile_it = profiles_.find(t.data_source);
  datasource_profile profile = profile_it == profiles_.end() ? datasource_profile{} : profile_it->second;

  // Output chunks: buckets of the target granularity, or the inputs' own intervals.
  std::map<interval, std::pair<double, double>> chunks; // rows, bytes
  for (const auto* s : inputs) {
    auto spread = [&](interval b) {
      auto overlap = std::min(b.end, s->span.end) - std::max(b.start, s->span.start);
      double share = s->span.duration() > 0 ? double(overlap) / double(s->span.duration()) : 1.0;
      auto& c = chunks[b];
      c.first += double(s->rows) * share;
      c.second += double(s->size) * share;
    };
    if (t.segment_granularity) {
      for (auto b = bucket(*t.segment_granularity, s->span.start); b.start < s->span.end; b = bucket(*t.segment_granularity, b.end)) {
        spread(b);
        if (b.end >= eternity_end)
          break;
      }
    } else {
      spread(s->span);
    }
  }
  segment_schema out_schema = schema;
  if (auto dims = names_of(t.dimensions); !dims.empty())
    out_schema.dimensions = dims;
  if (auto mets = names_of(t.metrics); !mets.empty())
    out_schema.metrics = mets;
  out_schema.query_granularity = t.query_granularity.value_or(schema.query_granularity);
  out_schema.rollup = t.rollup.value_or(schema.rollup);
  double keep = kept_share(t.filter, profile, knobs_.dimension_cardinality);
  // IndexTuningConfig#getPartitionsSpec: without a partitionsSpec, the
  // top-level maxRowsPerSegment makes a dynamic one.
  std::optional<std::int64_t> top_rows;
  if (t.tuning.is_object() && field(t.tuning.as_object(), "maxRowsPerSegment").is_int64())
    top_rows = field(t.tuning.as_object(), "maxRowsPerSegment").get_int64();
  auto partitions = normalized_partitions_spec(t.tuning, top_rows);

  time_ms version = std::max(now, last_version_ + 1);
  for (const auto* s : inputs)
    version = std::max(version, s->version + 1);
  last_version_ = version;

  auto& writable = store_.writable(t.data_source);
  std::optional<compaction_state> stored;
  if (t.store_state) {
    compaction_state st;
    st.partitions_spec = canonical_partitions(t.tuning, top_rows);
    st.index_spec = canonical_index_spec(t.tuning);
    st.segment_granularity = t.segment_granularity;
    if (!st.segment_granularity)
      st.segment_granularity = granularity_of(inputs.front()->span);
    st.query_granularity = out_schema.query_granularity;
    st.rollup = out_schema.rollup;
    // AbstractBatchIndexTask#addCompactionStateToSegments stores the data
    // schema's: the task's dimensions and aggregators, or those
    // CompactionTask derived from its inputs (string dimensions, the
    // metrics' combining aggregators).
    json::array dims, mets;
    if (t.dimensions.is_array())
      dims = t.dimensions.as_array();
    else
      for (const auto& d : out_schema.dimensions)
        dims.push_back(dimension_schema(json::value(d)));
    if (t.metrics.is_array() && !t.metrics.as_array().empty())
      mets = t.metrics.as_array();
    else
      for (const auto& m : out_schema.metrics)
        mets.push_back(combining_aggregator(m));
    st.dimensions = json::serialize(dims);
    st.metrics = json::serialize(mets);
    st.filter = t.filter.is_null() ? "" : json::serialize(t.filter);
    stored = std::move(st);
  }
  // CompactionTask#createDataSchema's granularitySpec intervals: with a
  // target granularity, the inputs' umbrella; without one, each unified
  // input interval (here, the chunk).
  interval umbrella = inputs.front()->span;
  for (const auto* s : inputs)
    umbrella = {std::min(umbrella.start, s->span.start), std::max(umbrella.end, s->span.end)};
  auto schema_index = writable.intern(out_schema);

  std::vector<segment> outputs;
  std::vector<interval> replaced;
  for (const auto& [span, amount] : chunks) {
    const std::uint32_t state = stored ? writable.stamp(*stored, t.segment_granularity ? umbrella : span) : 0;
    double rows = amount.first * keep;
    if (out_schema.rollup && out_schema.query_granularity != granularity::none) {
      // Rollup leaves at most so many distinct rows per query-granularity period.
      auto periods = std::max<std::int64_t>(1, span.duration() / std::max<std::int64_t>(1, bucket(out_schema.query_granularity, span.start).duration()));
      rows = std::min(rows, double(periods * profile.distinct_rows_per_query_period));
    }
    auto out_rows = static_cast<std::int64_t>(std::llround(rows));
    auto out_bytes = amount.first > 0 ? static_cast<std::int64_t>(std::llround(amount.second * rows / amount.first)) : 0;
    if (out_rows == 0) {
      if (t.drop_existing) {
        segment tomb;
        tomb.span = span;
        tomb.version = version;
        tomb.partitions = 1;
        tomb.tombstone = true;
        tomb.size = 1; // TombstoneHelper#createTombstoneForTimeChunkInterval: ".size(1)", for the balancer
        tomb.state = state;
        tomb.schema = schema_index;
        outputs.push_back(tomb);
        replaced.push_back(span);
      }
      continue;
    }
    std::int64_t n = std::max<std::int64_t>(1, (out_rows + target_rows(partitions) - 1) / target_rows(partitions));
    if (field(partitions, "numShards").is_int64() && field(partitions, "numShards").get_int64() > 0)
      n = field(partitions, "numShards").get_int64();
    n = std::min<std::int64_t>(n, max_segments_per_chunk);
    for (std::int64_t p = 0; p < n; ++p) {
      segment s;
      s.span = span;
      s.version = version;
      s.partition = static_cast<std::int32_t>(p);
      s.partitions = static_cast<std::int32_t>(n);
      s.rows = out_rows / n + (p < out_rows % n ? 1 : 0);
      s.size = out_bytes / n + (p < out_bytes % n ? 1 : 0);
      s.state = state;
      s.schema = schema_index;
      outputs.push_back(s);
    }
    replaced.push_back(span);
  }
  if (t.drop_existing)
    replaced = {t.span};
  std::int64_t rows_in = 0, rows_out = 0;
  for (const auto* s : inputs)
    rows_in += s->rows;
  for (const auto& s : outputs)
    rows_out += s.rows;
  dropped_rows_[t.data_source] += rows_in - rows_out;
  if (trace_)
    emit(now, "segments.publish", {{"task", t.id}, {"dataSource", t.data_source}, {"segments_in", inputs.size()},
                                   {"segments_out", outputs.size()}, {"rows_in", rows_in}, {"rows_out", rows_out},
                                   {"version", format_instant(version)}});
  store_.publish(t.data_source, replaced, std::move(outputs));
}

} // namespace compactsim::sim::druid
