#pragma once
//! Which rowsets a compaction takes (Doris's size-based cumulative policy,
//! base and full compaction) and what its output does to the replica.

#include <cstdint>
#include <optional>

#include "sim/doris/replica.hpp"

namespace compactsim::sim {

/// The inputs a compaction picked: the versions [start, end] of consecutive rowsets.
struct compaction_pick {
  status st;                        ///< not ok: nothing to compact, and why
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t input_rowsets = 0;
  std::int64_t input_bytes = 0;
  std::int64_t input_rows = 0;
  std::uint32_t input_score = 0;
  bool met_delete = false;          ///< cumulative: stopped at a delete version
  std::optional<std::int64_t> new_point; ///< cumulative point moved by picking itself
  bool init_success_times = false;  ///< E-2000 on a tablet that never succeeded: both clocks start now
};

/// What a finished compaction changed; the invariants read it.
struct compaction_outcome {
  status st;
  std::int64_t rows_in = 0;
  std::int64_t rows_out = 0;
  std::int64_t removed_deleted = 0;    ///< superseded rows dropped (dedup, aggregation)
  std::int64_t removed_duplicates = 0; ///< bitmap-missed duplicates repaired (full, MoW)
  std::int64_t bytes_in = 0;
  std::int64_t bytes_out = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
};

/// Picks inputs for `type` as Doris's prepare step would; never mutates.
compaction_pick pick_rowsets(const replica& r, compaction_type type, const doris_knobs& k, time_ms now);

/// Replaces the picked rowsets with one output rowset; inputs become stale.
/// `repair_duplicates` are the duplicates a full compaction recalculates away.
compaction_outcome apply_compaction(replica& r, compaction_type type, const compaction_pick& pick,
                                    std::uint64_t output_id, std::uint32_t path_id,
                                    std::int64_t repair_duplicates, const doris_knobs& k, time_ms now);

/// Simulated duration of a compaction over `bytes` on a disk of that throughput.
time_ms compaction_duration_ms(std::int64_t bytes, const doris_knobs& k, double slowdown = 1.0);

} // namespace compactsim::sim
