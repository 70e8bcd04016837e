#pragma once
//! Tunables of the Druid side, with Druid's defaults where Druid has one.

#include <cstdint>

#include "sim/core/time.hpp"

namespace compactsim::sim::druid {

struct knobs {
  time_ms indexing_period_ms = 1'800'000;  ///< druid.coordinator.period.indexingPeriod (PT1800S)
  time_ms start_delay_ms = 300'000;        ///< druid.coordinator.startDelay (PT300S)
  std::int64_t task_bytes_per_sec = 64LL << 20; ///< how fast one task slot reads and writes segments
  time_ms task_startup_ms = 1000;          ///< a peon's start-up before it reads anything
  int peon_port_start = 8100;              ///< druid.indexer.runner.startPort
  std::int64_t dimension_cardinality = 100; ///< distinct values of a dimension without a configured one
  /// A streaming task keeps the time-chunk lock (priority 75) of a chunk it
  /// wrote into until this long after its last write there (its publish
  /// and handoff), then the chunk is free for compaction.
  time_ms streaming_lock_linger_ms = 600'000;
  /// druid.supervisor.compaction.enabled (Druid 31): the overlord's
  /// scheduler runs the `autocompact` supervisors every 5 seconds, and the
  /// coordinator's scheduled CompactSegments duty stands aside.
  bool compaction_supervisors = false;
};

} // namespace compactsim::sim::druid
