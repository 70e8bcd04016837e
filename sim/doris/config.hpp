#pragma once
//! The Doris part of a cluster description: typed structs with documented
//! defaults. The JSON reader lives outside the model (sim/cluster_config.cpp
//! reads both systems' parts).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/doris/knobs.hpp"
#include "sim/doris/types.hpp"

namespace compactsim::sim {

/// How the BE HTTP API answers: the seed documents' 1.x shapes, Doris 2.1's
/// code (branch-2.1, be/src/http/action/*.cpp), or 3.0's (which differs from
/// 2.1 in the run_status registry's key order).
enum class api_profile : std::uint8_t { docs, v2_1, v3_0 };

/// "docs", "2.1" or "3.0".
const char* to_string(api_profile p);

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
  std::int64_t delete_every = 0;              ///< every Nth load is a DELETE (delete predicate); 0: none
  /// Seed-driven variation, as real load traffic has: each interval between
  /// loads is 1/loads_per_second times a factor in [1 - interval_jitter,
  /// 1 + interval_jitter), and each load's rows the same within size_jitter.
  double interval_jitter = 0;
  double size_jitter = 0;
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

/// Schema hash of a table when the config gives none (stable, non-zero).
std::uint32_t derive_schema_hash(std::int64_t table_id);

} // namespace compactsim::sim
