#pragma once
//! What a scenario checks, read straight off the cluster's models (only on
//! the single-threaded test scheduler, between events): the metrics that
//! assertions, waits and liveness compare, and the invariants.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/cluster.hpp"
#include "scenarios/scenario.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::scenarios {

/// Trace events counted by "node|kind[|type]", keyed by a hash of that key
/// for speed. Metrics only sum over it, so its order never reaches output.
struct event_count {
  std::string key;
  std::uint64_t n = 0;
};
using event_counts = std::unordered_map<std::uint64_t, event_count>;

/// The value of `m` now; compactions and loads are counted from the trace.
double read_metric(const metric_check& m, const actors::cluster& c, const event_counts& by_node_kind);

/// What the invariants remember from one check to the next.
struct invariant_memory {
  std::vector<std::vector<std::int64_t>> versions;   ///< per BE, per replica: its visible version
  std::map<std::string, std::vector<sim::druid::interval>> covered; ///< per datasource: time with data, merged
};

using violation_fn = std::function<void(const std::string& invariant, const std::string& message)>;

/// Checks the invariants named in `wanted`; reports each broken one.
/// `corrupted_at` is the last delete-bitmap corruption per MoW table.
void check_invariants(const actors::cluster& c, const std::vector<std::string>& wanted,
                      const std::map<std::int64_t, time_ms>& corrupted_at, invariant_memory& memory,
                      const violation_fn& violation);

} // namespace compactsim::scenarios
