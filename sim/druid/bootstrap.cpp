#include "sim/druid/bootstrap.hpp"

namespace compactsim::sim::druid {

std::vector<interval> initial_chunks(const druid_datasource_config& d, time_ms epoch) {
  interval span = d.span ? *d.span : interval{add(epoch, *d.recent, -1), epoch};
  std::vector<interval> out;
  // Only whole buckets: a recent range ends at the bucket holding `epoch`.
  for (auto b = bucket(d.granularity, span.start); b.end <= span.end && b.start < span.end; b = bucket(d.granularity, b.end)) {
    out.push_back(b);
    if (b.end >= eternity_end)
      break;
  }
  return out;
}

segment_schema schema_of(const druid_datasource_config& d) {
  return {d.dimensions, d.metrics, d.query_granularity, d.rollup};
}

overlord build_overlord(const druid_cluster_config& cfg, std::uint64_t seed, time_ms epoch) {
  std::vector<worker> workers;
  for (const auto& w : cfg.workers)
    workers.push_back({w.host, w.capacity, 0});
  overlord o{cfg.knobs, std::move(workers), derive_seed(seed, seed_stream::druid_overlord)};
  for (const auto& d : cfg.datasources) {
    datasource_profile profile;
    profile.cardinality = d.cardinality;
    o.set_profile(d.name, profile);
    auto& tl = o.store().writable(d.name);
    auto schema = tl.intern(schema_of(d));
    for (const auto& chunk : initial_chunks(d, epoch)) {
      for (int p = 0; p < d.partitions; ++p) {
        segment s;
        s.span = chunk;
        s.version = chunk.end; // published as its chunk closed
        s.partition = p;
        s.partitions = d.partitions;
        s.rows = d.rows_per_segment;
        s.size = d.bytes_per_segment;
        s.schema = schema;
        o.store().add(d.name, s);
        o.count_ingested(d.name, s.rows);
      }
    }
  }
  return o;
}

} // namespace compactsim::sim::druid
