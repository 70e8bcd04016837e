#include "actors/druid/jobs.hpp"

#include "sim/druid/bootstrap.hpp"

namespace compactsim::actors {

overlord_job streamed_segments(const sim::druid_cluster_config& cfg, std::string data_source, int segments,
                               std::int64_t rows, std::int64_t bytes) {
  sim::druid::segment_schema schema{{"channel", "page", "user", "isRobot", "countryName"},
                                    {"count", "added", "deleted"}, sim::druid::granularity::none, false};
  for (const auto& d : cfg.datasources)
    if (d.name == data_source)
      schema = sim::druid::schema_of(d);
  return [=](sim::druid::overlord& o, sim::time_ms now) {
    for (int i = 0; i < segments; ++i)
      o.ingest(data_source, sim::druid::bucket(sim::druid::granularity::hour, now), rows, bytes, schema, now);
  };
}

} // namespace compactsim::actors
