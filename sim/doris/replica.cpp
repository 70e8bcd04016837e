#include "sim/doris/replica.hpp"

#include <algorithm>

namespace compactsim::sim {

std::int64_t max_version(const replica& r) {
  return r.rowsets.empty() ? -1 : r.rowsets.back().end;
}

std::int64_t visible_rows(const replica& r) {
  std::int64_t n = 0;
  for (const auto& rs : r.rowsets)
    n += rs.rows - rs.deleted;
  return n;
}

std::int64_t data_bytes(const replica& r) {
  std::int64_t n = 0;
  for (const auto& rs : r.rowsets)
    n += rs.bytes;
  return n;
}

std::vector<std::string> missing_versions(const replica& r) {
  std::vector<std::string> holes;
  for (std::size_t i = 1; i < r.rowsets.size(); ++i) {
    auto expected = r.rowsets[i - 1].end + 1;
    if (r.rowsets[i].start > expected)
      holes.push_back("[" + std::to_string(expected) + "-" +
                      std::to_string(r.rowsets[i].start - 1) + "]");
  }
  return holes;
}

bool versions_contiguous(const replica& r) {
  if (r.rowsets.empty() || r.rowsets.front().start != 0)
    return false;
  for (std::size_t i = 1; i < r.rowsets.size(); ++i)
    if (r.rowsets[i].start != r.rowsets[i - 1].end + 1)
      return false;
  return true;
}

namespace {
std::int64_t promotion_of(std::int64_t base_bytes, const doris_knobs& k);
} // namespace

std::int64_t promotion_size(const replica& r, const doris_knobs& k) {
  std::int64_t base_size = 0;
  if (!r.rowsets.empty() && r.rowsets.front().start == 0)
    base_size = r.rowsets.front().bytes;
  return promotion_of(base_size, k);
}

std::uint32_t calc_base_score(const replica& r) {
  if (r.rowsets.empty() || r.rowsets.front().start != 0)
    return 0; // no base rowset: the tablet is being altered
  std::uint32_t score = 0;
  for (const auto& rs : r.rowsets)
    if (rs.start < r.cumulative_point)
      score += rs.score();
  return score;
}

namespace {

/// Doris's _level_size: a power-of-two size bucket, capped at promotion/2.
std::int64_t level_size(std::int64_t size, std::int64_t promotion) {
  if (size < 1024)
    return 0;
  std::int64_t max_level = std::int64_t{1} << (63 - __builtin_clzll(std::uint64_t(std::max<std::int64_t>(promotion / 2, 1))));
  if (size >= max_level)
    return max_level;
  return std::int64_t{1} << (63 - __builtin_clzll(std::uint64_t(size)));
}

} // namespace

namespace {

/// The rowsets from the cumulative point: their scores, bytes and where they start.
struct cumulative_sum {
  std::uint32_t score = 0;
  std::int64_t bytes = 0;
  std::size_t first = 0;
};

cumulative_sum sum_cumulative(const replica& r) {
  cumulative_sum s;
  s.first = r.rowsets.size();
  for (std::size_t i = 0; i < r.rowsets.size(); ++i) {
    if (r.rowsets[i].start < r.cumulative_point)
      continue;
    s.first = std::min(s.first, i);
    s.score += r.rowsets[i].score();
    s.bytes += r.rowsets[i].bytes;
  }
  return s;
}

/// promotion_size for a base rowset of `base_bytes`.
std::int64_t promotion_of(std::int64_t base_bytes, const doris_knobs& k) {
  auto size = static_cast<std::int64_t>(static_cast<double>(base_bytes) * k.compaction_promotion_ratio);
  return std::clamp(size, k.compaction_promotion_min_size_mbytes * mib,
                    std::max(k.compaction_promotion_min_size_mbytes, k.compaction_promotion_size_mbytes) * mib);
}

std::uint32_t cumulative_score_of(const replica& r, cumulative_sum s, std::int64_t promotion) {
  if (s.bytes >= promotion)
    return s.score;
  // Leading rowsets of a higher size level than the rest are not counted:
  // sizes 128, 16, 16, 16 score the three 16s.
  for (std::size_t i = s.first; i < r.rowsets.size(); ++i) {
    const auto& rs = r.rowsets[i];
    if (level_size(rs.bytes, promotion) <= level_size(s.bytes - rs.bytes, promotion))
      break;
    s.bytes -= rs.bytes;
    s.score -= rs.score();
  }
  return s.score;
}

} // namespace

std::uint32_t calc_cumulative_score(const replica& r, const doris_knobs& k) {
  if (r.rowsets.empty() || r.rowsets.front().start != 0)
    return 0;
  return cumulative_score_of(r, sum_cumulative(r), promotion_size(r, k));
}

std::uint32_t real_compaction_score(const replica& r) {
  std::uint32_t score = 0;
  for (const auto& rs : r.rowsets)
    score += rs.score();
  return score;
}

bool refresh_scores(replica& r, const doris_knobs& k) {
  auto base = calc_base_score(r);
  std::uint32_t cumu = 0;
  r.summed_point = -1;
  if (!r.rowsets.empty() && r.rowsets.front().start == 0) {
    auto sum = sum_cumulative(r);
    r.summed_bytes = sum.bytes;
    r.summed_score = sum.score;
    r.summed_first = static_cast<std::uint32_t>(sum.first);
    r.summed_rowsets = static_cast<std::uint32_t>(r.rowsets.size());
    r.summed_point = static_cast<std::int32_t>(r.cumulative_point);
    r.summed_base_bytes = r.rowsets.front().bytes;
    cumu = cumulative_score_of(r, sum, promotion_of(r.summed_base_bytes, k));
  }
  bool changed = base != r.base_score || cumu != r.cumu_score;
  r.base_score = base;
  r.cumu_score = cumu;
  return changed;
}

bool append_scores(replica& r, const doris_knobs& k) {
  const auto& top = r.rowsets.back();
  // Only the append happened since the sums were taken: the base layer (and
  // so the base score and the promotion size) is as it was.
  if (r.summed_point < 0 || r.summed_point != r.cumulative_point || r.summed_rowsets + 1 != r.rowsets.size() ||
      top.start < r.cumulative_point)
    return refresh_scores(r, k);
  r.summed_score += top.score();
  r.summed_bytes += top.bytes;
  r.summed_rowsets += 1; // summed_first stays: it was the old size when nothing was above the point
  auto cumu = cumulative_score_of(r, {r.summed_score, r.summed_bytes, r.summed_first},
                                  promotion_of(r.summed_base_bytes, k));
  bool changed = cumu != r.cumu_score;
  r.cumu_score = cumu;
  return changed;
}

replica make_replica(std::int64_t tablet_id, std::int64_t table_id, std::uint32_t schema_hash,
                     std::uint16_t disk, keys_type keys, bool mow, std::uint64_t rowset_id,
                     time_ms now) {
  replica r;
  r.tablet_id = tablet_id;
  r.table_id = table_id;
  r.schema_hash = schema_hash;
  r.disk = disk;
  r.keys = keys;
  r.merge_on_write = mow && keys == keys_type::unique_keys;
  // Tablet::create_initial_rowset: an empty [0-1], cumulative point 2.
  rowset initial;
  initial.start = 0;
  initial.end = 1;
  initial.id = rowset_id;
  initial.set_created(now);
  r.rowsets.push_back(initial);
  r.cumulative_point = 2;
  return r;
}

void apply_load(replica& r, rowset load, std::int64_t superseding) {
  if (r.keys != keys_type::dup_keys) {
    // Mark the newest older live rows as replaced, as the delete bitmap (MoW)
    // or the merge on read would.
    for (auto it = r.rowsets.rbegin(); it != r.rowsets.rend() && superseding > 0; ++it) {
      auto live = it->rows - it->deleted;
      auto take = std::min(live, superseding);
      it->deleted += take;
      superseding -= take;
    }
  }
  r.rowsets.push_back(load);
}

std::int64_t corrupt_delete_bitmap(replica& r, std::int64_t rows) {
  // Lost marks: replaced rows become visible again, oldest first. Only rows
  // that a newer version replaced can turn into duplicates.
  std::int64_t added = 0;
  for (auto& rs : r.rowsets) {
    if (added >= rows)
      break;
    auto take = std::min(rs.deleted, rows - added);
    rs.deleted -= take;
    added += take;
  }
  r.duplicates += added;
  return added;
}

void sweep_stale(replica& r, time_ms now, const doris_knobs& k) {
  auto horizon = now - k.tablet_rowset_stale_sweep_time_sec * 1000;
  std::erase_if(r.stale, [&](const stale_rowset& s) { return s.stale_since <= horizon; });
  release_spare(r.stale);
}

} // namespace compactsim::sim
