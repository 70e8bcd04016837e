#include "sim/cluster_config.hpp"

namespace compactsim::sim {

cluster_config default_cluster() {
  cluster_config cfg;
  auto& d = cfg.doris;
  d.backends = 3;
  // Small rowsets on a 64 MiB/s disk: a manual compaction of a default tablet,
  // or a table_id full compaction of 10104, finishes in well under a second.
  d.knobs.disk_throughput_bytes_per_sec = 64 * mib;

  // The seed documents' merge-on-write table. Its tablets 10015 and 11308
  // have a replica on every BE (replication 3 over 3 BEs). Automatic
  // compaction is disabled on this table only, as the Data Recovery guide
  // suggests while repairing: manual runs (the seeds' curl examples) always
  // find the 20 loaded rowsets there. Near max_tablet_version_num a load still
  // forces a cumulative compaction, as in Doris.
  doris_table_config mow;
  mow.id = 10104;
  mow.name = "orders_mow";
  mow.keys = keys_type::unique_keys;
  mow.merge_on_write = true;
  mow.buckets = 8;
  mow.replication_num = 3;
  mow.schema_hash = 700967178;
  mow.tablet_ids = {10015, 11308};
  mow.disable_auto_compaction = true;
  mow.initial_loads = 20;
  d.tables.push_back(mow);

  doris_table_config dup;
  dup.id = 10200;
  dup.name = "events_dup";
  dup.keys = keys_type::dup_keys;
  dup.buckets = 16;
  dup.replication_num = 3;
  dup.initial_loads = 8;
  d.tables.push_back(dup);

  doris_table_config agg;
  agg.id = 10300;
  agg.name = "metrics_agg";
  agg.keys = keys_type::agg_keys;
  agg.buckets = 4;
  agg.replication_num = 2;
  agg.initial_loads = 4;
  d.tables.push_back(agg);

  d.workloads.push_back({.table = 10104, .loads_per_second = 0.1, .rows_per_load = 40000,
                         .bytes_per_row = 120, .segments = 1, .superseding_ratio = 0.3, .interval_jitter = 0.2,
                         .size_jitter = 0.25});
  d.workloads.push_back({.table = 10200, .loads_per_second = 0.5, .rows_per_load = 160000,
                         .bytes_per_row = 100, .segments = 1, .superseding_ratio = 0, .interval_jitter = 0.2,
                         .size_jitter = 0.25});
  d.workloads.push_back({.table = 10300, .loads_per_second = 0.2, .rows_per_load = 20000,
                         .bytes_per_row = 80, .segments = 2, .superseding_ratio = 0.5, .interval_jitter = 0.2,
                         .size_jitter = 0.25});

  // The Druid side: two MiddleManagers of 4 slots and the seed documents'
  // datasources. A day of wikipedia_hour (24 x 10 MB) compacts in about
  // five seconds on one slot; wikipedia holds 2020 for the manual example.
  auto& dr = cfg.druid;
  dr.workers = {{"middlemanager-1:8091", 4}, {"middlemanager-2:8091", 4}};
  druid_datasource_config wikipedia;
  wikipedia.name = "wikipedia";
  wikipedia.span = druid::parse_interval("2020-01-01/2021-01-01");
  wikipedia.rows_per_segment = 2'500;
  wikipedia.bytes_per_segment = 250'000;
  wikipedia.cardinality = {{"channel", 50}, {"isRobot", 2}, {"countryName", 200}};
  dr.datasources.push_back(wikipedia);
  druid_datasource_config hourly;
  hourly.name = "wikipedia_hour";
  hourly.recent = druid::period{.days = 3};
  hourly.rows_per_segment = 50'000;
  hourly.bytes_per_segment = 10'000'000;
  hourly.cardinality = wikipedia.cardinality;
  dr.datasources.push_back(hourly);
  druid_datasource_config api;
  api.name = "wikipedia_api";
  api.granularity = druid::granularity::day;
  api.recent = druid::period{.days = 1};
  api.partitions = 8;
  api.rows_per_segment = 80'000;
  api.bytes_per_segment = 8'016'702;
  api.cardinality = wikipedia.cardinality;
  dr.datasources.push_back(api);
  dr.workloads.push_back({.datasource = "wikipedia_hour", .granularity = druid::granularity::hour,
                          .segments_per_minute = 1, .rows_per_segment = 800, .bytes_per_segment = 160'000});
  return cfg;
}

} // namespace compactsim::sim
