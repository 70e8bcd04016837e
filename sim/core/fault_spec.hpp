#pragma once
//! The fault vocabulary, one definition for the scenario runner's timeline
//! and the live control API: what a fault is, on which nodes, for how long,
//! read from the same JSON in both (config/fault_reader).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace compactsim::sim {

struct fault_spec {
  std::string id;                           ///< for heals; generated when absent
  std::string kind;                         ///< one of fault_kinds()
  /// "be:1", "be:random", "be:minority", "be:majority", "be:all", "worker:0"
  /// (and worker:random, ...), "fe", "coordinator", "overlord"
  std::vector<std::string> targets;
  /// partition: groups of targets; messages between different groups are
  /// lost. Without groups, the targets are cut off from every other node.
  std::vector<std::vector<std::string>> groups;
  bool one_way = false;                     ///< partition: only group 0 -> group 1 is cut
  time_ms delay = 0;                        ///< delay
  time_ms jitter = 0;                       ///< delay
  time_ms skew = 0;                         ///< clock_skew, may be negative
  std::optional<time_ms> duration;          ///< heal after this long; absent: until healed
  double factor = 10;                       ///< slow_disk
  double probability = 1;                   ///< compaction_failure, task_failure, drop, duplicate
  std::int64_t table = 0;                   ///< corrupt_delete_bitmap
  std::int64_t rows = 1000;                 ///< corrupt_delete_bitmap, per replica
};

/// How many nodes of each family a cluster has (what targets can name).
struct node_counts {
  std::size_t backends = 0;
  std::size_t workers = 0;
  bool druid = false;          ///< the coordinator and the overlord exist
};

/// The first target of `f` (or of its groups) that names no node of the
/// cluster ("be:7" in a 3-BE cluster, "worker:random" without workers,
/// "overlord" without Druid), as an error message; empty when all match.
std::string unmatched_target(const fault_spec& f, const node_counts& n);

/// The fault kinds, in documentation order.
const std::vector<std::string>& fault_kinds();

} // namespace compactsim::sim
