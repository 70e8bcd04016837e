#pragma once
//! The fault vocabulary, one definition for the scenario runner's timeline
//! and the live control API: what a fault is, on which nodes, for how long,
//! read from the same JSON in both (config/fault_reader).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace compactsim::sim {

/// What a fault does, in documentation order. Each layer switches on it
/// once: the reader checks its parameters, the injector routes it to the
/// network, a node or a model, and the BE applies its own.
enum class fault_kind : std::uint8_t {
  crash,
  pause,
  partition,
  delay,
  drop,
  duplicate,
  clock_skew,
  slow_disk,
  compaction_failure,
  disk_full,
  task_failure,
  corrupt_delete_bitmap,
};

inline constexpr std::array<fault_kind, 12> all_fault_kinds{
  fault_kind::crash,      fault_kind::pause,     fault_kind::partition,          fault_kind::delay,
  fault_kind::drop,       fault_kind::duplicate, fault_kind::clock_skew,         fault_kind::slow_disk,
  fault_kind::compaction_failure, fault_kind::disk_full, fault_kind::task_failure, fault_kind::corrupt_delete_bitmap};

/// The kind's name in scenarios, the API and traces ("slow_disk").
std::string_view to_string(fault_kind k);
std::optional<fault_kind> parse_fault_kind(std::string_view name);
/// A rule of the simulated network: partition, delay, drop, duplicate.
bool is_link_fault(fault_kind k);
/// A state a BE's model holds while the fault is on (and a restarted BE
/// gets back): slow_disk, compaction_failure, disk_full, clock_skew.
bool is_backend_state(fault_kind k);

struct fault_spec {
  std::string id;                           ///< for heals; generated when absent
  fault_kind kind = fault_kind::crash;
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


} // namespace compactsim::sim
