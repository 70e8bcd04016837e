#pragma once
//! One tablet replica on one backend: its rowsets, cumulative point, scores
//! and compaction bookkeeping. Plain data plus free functions over it, so a
//! backend can hold a million of them in a vector.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/doris/knobs.hpp"
#include "sim/doris/status.hpp"
#include "sim/doris/types.hpp"

namespace compactsim::sim {

/// An immutable set of rows covering versions [start, end]. Kept to 48
/// bytes: a million replicas hold several each.
struct rowset {
  std::int32_t start = 0;
  std::int32_t end = 0;
  std::uint32_t id = 0;         ///< backend-local sequence (low bits of Doris's RowsetId)
  std::uint32_t created_s = 0;  ///< creation time, seconds since the epoch
  std::int64_t rows = 0;        ///< physical rows
  std::int64_t deleted = 0;     ///< rows superseded by newer versions (delete bitmap marks)
  std::int64_t bytes = 0;
  std::uint16_t segments = 0;
  bool overlapping = false;     ///< segments may overlap (multi-segment load)
  bool is_delete = false;       ///< carries a delete predicate

  time_ms created() const { return static_cast<time_ms>(created_s) * 1000; }
  void set_created(time_ms t) { created_s = static_cast<std::uint32_t>(t / 1000); }
  bool singleton() const { return start == end; }
  bool segments_overlapping() const { return segments > 1 && singleton() && overlapping; }
  /// Doris's RowsetMeta::get_compaction_score.
  std::uint32_t score() const { return segments_overlapping() ? segments : 1; }
};

/// A rowset replaced by a compaction, kept until the stale sweep.
struct stale_rowset {
  rowset data;
  time_ms stale_since = 0;
  std::uint32_t path_id = 0;
};

/// Bit of a compaction type in replica::running.
constexpr std::uint8_t running_bit(compaction_type t) { return std::uint8_t(1u << index(t)); }

struct replica {
  std::int64_t tablet_id = 0;
  std::int64_t table_id = 0;
  std::int64_t cumulative_point = 2;     ///< first version of the cumulative layer
  std::int64_t duplicates = 0;           ///< visible duplicate keys (MoW bitmap wrong)
  std::vector<rowset> rowsets;           ///< ordered by version
  std::vector<stale_rowset> stale;
  std::array<time_ms, compaction_type_count> last_failure{};
  std::array<time_ms, compaction_type_count> last_success{};
  std::array<time_ms, compaction_type_count> last_schedule{};
  std::array<errc, compaction_type_count> last_status{};
  time_ms skip_until = 0;                ///< producer skips this replica until then
  std::uint32_t schema_hash = 0;
  std::uint32_t cumu_score = 0;          ///< cached cumulative score
  /// What refresh_scores last summed for the cumulative score, so a load on
  /// top (append_scores) adds one rowset instead of summing them all again.
  std::int64_t summed_bytes = 0;         ///< bytes of the rowsets from the cumulative point
  std::int64_t summed_base_bytes = 0;    ///< bytes of the base rowset [0-x] (for the promotion size)
  std::uint32_t summed_score = 0;        ///< their scores
  std::uint32_t summed_first = 0;        ///< index of the first of them (rowsets.size() when none)
  std::uint32_t summed_rowsets = 0;      ///< how many rowsets there were
  std::int32_t summed_point = -1;        ///< the cumulative point then; -1: nothing summed
  std::uint32_t base_score = 0;          ///< cached base score
  std::uint16_t disk = 0;
  tablet_state state = tablet_state::running;
  keys_type keys = keys_type::dup_keys;
  bool merge_on_write = false;
  std::uint8_t running = 0;              ///< running_bit()s of compactions in progress
  bool manual_full = false;              ///< a full compaction runs (for run_status)

  bool is_running(compaction_type t) const { return running & running_bit(t); }
};

/// Gives back a vector's spare room once it holds under half of it: a
/// replica's rowsets grow with its loads and shrink with each compaction,
/// and 300,000 replicas keeping their high-water marks cost gigabytes.
template <class T>
void release_spare(std::vector<T>& v) {
  if (v.capacity() <= 2 * v.size() + 8)
    return;
  // Half as much room again, not none: the next load should not reallocate.
  std::vector<T> kept;
  kept.reserve(v.size() + v.size() / 2 + 4);
  kept.assign(v.begin(), v.end());
  v.swap(kept);
}

/// Highest version held, -1 when empty.
std::int64_t max_version(const replica& r);
/// Rows a query would see (physical minus marked), duplicates included.
std::int64_t visible_rows(const replica& r);
/// Bytes of all visible rowsets.
std::int64_t data_bytes(const replica& r);
/// "[a-b]" holes between consecutive rowsets.
std::vector<std::string> missing_versions(const replica& r);
/// True when the rowsets cover [0, max] without holes.
bool versions_contiguous(const replica& r);

/// Doris's cumulative promotion size for this replica.
std::int64_t promotion_size(const replica& r, const doris_knobs& k);
/// Doris's Tablet::calc_compaction_score for base.
std::uint32_t calc_base_score(const replica& r);
/// SizeBasedCumulativeCompactionPolicy::calc_cumulative_compaction_score.
std::uint32_t calc_cumulative_score(const replica& r, const doris_knobs& k);
/// Sum of every rowset's score (the /api/compaction_score figure).
std::uint32_t real_compaction_score(const replica& r);
/// Refreshes the cached scores; returns true when either changed.
bool refresh_scores(replica& r, const doris_knobs& k);
/// refresh_scores after a load appended r.rowsets.back() above the
/// cumulative point: the same scores, from the sums of the last refresh
/// (falls back to refresh_scores when anything else changed since).
bool append_scores(replica& r, const doris_knobs& k);

/// A fresh replica holding the initial empty rowset [0-1].
replica make_replica(std::int64_t tablet_id, std::int64_t table_id, std::uint32_t schema_hash,
                     std::uint16_t disk, keys_type keys, bool mow, std::uint64_t rowset_id,
                     time_ms now);

/// Appends a published load [v-v]; `superseding` of its rows replace older
/// keys (unique and aggregate tables), which marks that many older rows deleted.
void apply_load(replica& r, rowset load, std::int64_t superseding);

/// Corrupts the delete bitmap: up to `rows` superseded rows become visible
/// duplicates. Returns how many did.
std::int64_t corrupt_delete_bitmap(replica& r, std::int64_t rows);

/// Drops stale rowsets older than the sweep time.
void sweep_stale(replica& r, time_ms now, const doris_knobs& k);

} // namespace compactsim::sim
