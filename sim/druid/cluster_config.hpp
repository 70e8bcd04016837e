#pragma once
//! The Druid part of a cluster description: datasources, streaming
//! workloads and workers, with documented defaults.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/iso8601.hpp"
#include "sim/druid/knobs.hpp"

namespace compactsim::sim {

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

/// The Druid releases whose APIs the router speaks. 30 is the default and
/// the reference; 31 adds the compaction simulator and the overlord's
/// compaction endpoints (supervisors disabled).
inline constexpr int druid_version_min = 30;
inline constexpr int druid_version_max = 31;

struct druid_cluster_config {
  bool enabled = true;
  /// Druid major version (30 or 31); unset means 30, and a reset keeps the
  /// version the server was started with.
  std::optional<int> version;
  int api_version() const { return version.value_or(druid_version_min); }
  druid::knobs knobs;
  std::vector<druid_worker_config> workers;
  std::vector<druid_datasource_config> datasources;
  std::vector<druid_workload_config> workloads;
};

} // namespace compactsim::sim
