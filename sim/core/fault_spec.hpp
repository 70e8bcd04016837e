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
#include <variant>
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

/// One struct per fault kind: the parameters that kind takes, and nothing
/// else. Their defaults are the readers' (fault_vocabulary lists them).
namespace faults {
struct crash {};
struct pause {};
struct partition {
  /// Groups of targets; messages between different groups are lost.
  /// Without groups, the targets are cut off from every other node.
  std::vector<std::vector<std::string>> groups;
  bool one_way = false;        ///< only group 0 -> group 1 is cut
};
struct delay {
  time_ms delay = 0;           ///< how long each message takes
  time_ms jitter = 0;          ///< up to this much more, drawn per message
};
struct drop { double probability = 1; };
struct duplicate { double probability = 1; };
struct clock_skew { time_ms skew = 0; };   ///< may be negative
struct slow_disk { double factor = 10; };  ///< compactions take this many times longer
struct compaction_failure { double probability = 1; };
struct disk_full {};
struct task_failure { double probability = 1; };
struct corrupt_delete_bitmap {
  std::int64_t table = 0;      ///< the merge-on-write table
  std::int64_t rows = 1000;    ///< rows per replica whose delete marks are lost
};
} // namespace faults

/// A fault's parameters, as the struct of its kind. The alternatives are in
/// fault_kind's order, so the index is the kind.
using fault_params =
  std::variant<faults::crash, faults::pause, faults::partition, faults::delay, faults::drop, faults::duplicate,
               faults::clock_skew, faults::slow_disk, faults::compaction_failure, faults::disk_full,
               faults::task_failure, faults::corrupt_delete_bitmap>;
static_assert(std::variant_size_v<fault_params> == all_fault_kinds.size());

/// The parameters of `k` at their defaults.
fault_params default_params(fault_kind k);

struct fault_spec {
  std::string id;                           ///< for heals; generated when absent
  /// "be:1", "be:random", "be:minority", "be:majority", "be:all", "worker:0"
  /// (and worker:random, ...), "fe", "coordinator", "overlord"; empty for a
  /// partition given by groups
  std::vector<std::string> targets;
  std::optional<time_ms> duration;          ///< heal after this long; absent: until healed
  fault_params params;

  fault_kind kind() const { return static_cast<fault_kind>(params.index()); }
  /// The parameters if the fault is of kind P, else nullptr.
  template <class P>
  const P* as() const {
    return std::get_if<P>(&params);
  }
  /// A partition's groups; empty for any other fault.
  const std::vector<std::vector<std::string>>& groups() const;
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
