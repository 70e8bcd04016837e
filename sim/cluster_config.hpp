#pragma once
//! The cluster a run simulates: typed structs with documented defaults,
//! parsed from JSON. Both `compactsim serve --config` and scenario files use it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sim/druid_knobs.hpp"
#include "sim/druid_time.hpp"
#include "sim/knobs.hpp"
#include "sim/types.hpp"

namespace compactsim::sim {

/// How the BE HTTP API answers: the seed documents' 1.x shapes, or Doris 2.1+ code.
enum class api_profile : std::uint8_t { docs, v2_1 };

struct doris_table_config {
  std::int64_t id = 0;
  std::string name;
  keys_type keys = keys_type::dup_keys;
  bool merge_on_write = false;
  int buckets = 1;
  int replication_num = 1;
  std::optional<std::uint32_t> schema_hash;   ///< derived from the id when absent
  std::vector<std::int64_t> tablet_ids;       ///< first tablet ids; the rest are allocated
  bool disable_auto_compaction = false;
  int initial_loads = 0;                      ///< loads published before the run starts
};

struct doris_workload_config {
  std::int64_t table = 0;
  double loads_per_second = 1;
  std::int64_t rows_per_load = 10000;         ///< across the table, split over its tablets
  std::int64_t bytes_per_row = 100;
  std::uint32_t segments = 1;                 ///< segments per load rowset (>1: OVERLAPPING)
  double superseding_ratio = 0;               ///< unique/agg keys: share of rows updating old keys
};

struct doris_config {
  api_profile profile = api_profile::docs;
  int backends = 3;
  std::uint16_t disks_per_backend = 1;
  std::int64_t first_backend_id = 10001;
  std::int64_t first_tablet_id = 50000;       ///< allocated ids start here
  doris_knobs knobs;
  std::vector<doris_table_config> tables;
  std::vector<doris_workload_config> workloads;
};

/// A Druid datasource's segments at start: one chunk per granularity bucket
/// of `span` (absolute) or of the `recent` period before the epoch.
struct druid_datasource_config {
  std::string name;
  druid::granularity granularity = druid::granularity::hour;
  std::optional<druid::interval> span;
  std::optional<druid::period> recent;
  int partitions = 1;                          ///< segments per chunk
  std::int64_t rows_per_segment = 10'000;
  std::int64_t bytes_per_segment = 1 << 20;
  std::vector<std::string> dimensions{"channel", "page", "user", "isRobot", "countryName"};
  std::vector<std::string> metrics{"count", "added", "deleted"};
  druid::granularity query_granularity = druid::granularity::none;
  bool rollup = false;
  std::map<std::string, std::int64_t> cardinality; ///< distinct values per dimension (filters)
};

/// Streaming ingestion: one segment into the current chunk every period.
struct druid_workload_config {
  std::string datasource;
  druid::granularity granularity = druid::granularity::hour;
  double segments_per_minute = 1;
  std::int64_t rows_per_segment = 1'000;
  std::int64_t bytes_per_segment = 100'000;
};

struct druid_worker_config {
  std::string host;
  int capacity = 4;
};

struct druid_cluster_config {
  bool enabled = true;
  druid::knobs knobs;
  std::vector<druid_worker_config> workers;
  std::vector<druid_datasource_config> datasources;
  std::vector<druid_workload_config> workloads;
};

struct cluster_config {
  std::uint64_t seed = 1;
  time_ms epoch_ms = 1'735'689'600'000;       ///< 2025-01-01T00:00:00Z: virtual time zero
  doris_config doris;
  druid_cluster_config druid;
};

/// Parses a cluster description; on error returns nullopt and sets `error`
/// to a message naming the offending field.
std::optional<cluster_config> parse_cluster_config(const boost::json::value& v, std::string& error);

/// The cluster `compactsim serve` starts without --config.
cluster_config default_cluster();

/// Schema hash of a table when the config gives none (stable, non-zero).
std::uint32_t derive_schema_hash(std::int64_t table_id);

} // namespace compactsim::sim
