#pragma once
//! What the cluster's metrics are, as data: the control API's /metrics
//! renders this snapshot (http/control/cluster_metrics), so no actor writes
//! a metrics format.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/messages.hpp"

namespace compactsim::actors {

/// The overlord's task slots, tasks and visible segments.
struct druid_overlord_metrics {
  double total_slots = 0;
  double used_slots = 0;
  struct tasks {
    int active = 0;   ///< waiting, pending or running
    int failed = 0;
  };
  std::map<std::string, tasks> tasks_by_datasource;
  std::map<std::string, std::size_t> segments_by_datasource;
};

/// The last CompactSegments run's figures (the status endpoint's).
struct druid_coordinator_metrics {
  struct datasource {
    std::string name;
    std::int64_t awaiting_bytes = 0;
    std::int64_t compacted_bytes = 0;
    std::int64_t skipped_bytes = 0;
  };
  std::vector<datasource> datasources;
  std::uint64_t duty_runs = 0;
};

/// Every actor's answer; an absent part did not answer within the bound.
struct cluster_metrics {
  std::vector<std::optional<backend_stats>> backends;   ///< by BE index
  std::optional<std::pair<std::uint64_t, std::uint64_t>> loads; ///< published, rejected
  std::optional<druid_overlord_metrics> overlord;
  std::optional<druid_coordinator_metrics> coordinator;
};

} // namespace compactsim::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::actors::druid_overlord_metrics)
