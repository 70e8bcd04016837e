#pragma once
//! The fault vocabulary, one definition for the scenario runner's timeline
//! and the live control API: what a fault is, on which nodes, for how long,
//! read from the same JSON in both.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sim/types.hpp"

namespace compactsim::sim {

struct fault_spec {
  std::string id;                           ///< for heals; generated when absent
  std::string kind;                         ///< crash, partition, slow_disk, compaction_failure, disk_full, task_failure, corrupt_delete_bitmap
  std::vector<std::string> targets;         ///< "be:1", "be:random", "be:minority", "be:majority", "be:all", "worker:0", "overlord"
  std::optional<time_ms> duration;          ///< heal after this long; absent: until healed
  double factor = 10;                       ///< slow_disk
  double probability = 1;                   ///< compaction_failure, task_failure
  std::int64_t table = 0;                   ///< corrupt_delete_bitmap
  std::int64_t rows = 1000;                 ///< corrupt_delete_bitmap, per replica
};

/// The fault kinds, in documentation order.
const std::vector<std::string>& fault_kinds();

/// "250ms", "90s", "5m", "2h", "1d", ISO "PT5M", or a number of milliseconds.
std::optional<time_ms> parse_duration(const boost::json::value& v);

/// Reads a fault object; on error returns false with `error` naming `path`.
bool parse_fault(const boost::json::value& v, const std::string& path, fault_spec& f, std::string& error);

} // namespace compactsim::sim
