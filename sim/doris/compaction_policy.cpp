#include "sim/doris/compaction_policy.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace compactsim::sim {

namespace {

using rowset_span = std::span<const rowset>;

compaction_pick fail(errc code, std::string msg) {
  compaction_pick p;
  p.st = status{code, std::move(msg)};
  return p;
}

compaction_pick summarize(rowset_span inputs) {
  compaction_pick p;
  p.start = inputs.front().start;
  p.end = inputs.back().end;
  p.input_rowsets = static_cast<std::int64_t>(inputs.size());
  for (const auto& rs : inputs) {
    p.input_bytes += rs.bytes;
    p.input_rows += rs.rows;
    p.input_score += rs.score();
  }
  return p;
}

/// Cumulative candidates: rowsets at or after the point, longest consecutive run.
rowset_span cumulative_candidates(const replica& r) {
  auto first = std::find_if(r.rowsets.begin(), r.rowsets.end(),
                            [&](const rowset& rs) { return rs.start >= r.cumulative_point; });
  auto last = first;
  while (last != r.rowsets.end() && (last == first || last->start == std::prev(last)->end + 1))
    ++last;
  return {first, last};
}

/// No input: CumulativeCompaction::pick_rowsets_to_compact's fallbacks.
/// A delete version moves the point past it; a tablet whose cumulative and
/// base compactions both last succeeded over pick_rowset_to_compact_interval_sec
/// ago breaks its stall (compacting every candidate if one overlaps, else
/// moving the point to the last candidate's start + 1); a tablet that never
/// succeeded starts both clocks now. E-2000 in every case but the first
/// overlapping breakthrough.
compaction_pick nothing_to_compact(const replica& r, const doris_knobs& k, time_ms now, rowset_span candidates,
                                   std::optional<std::int64_t> delete_start) {
  if (delete_start) {
    auto p = fail(errc::cumulative_no_suitable_version, "_last_delete_version.first not equal to -1");
    p.new_point = *delete_start + 1;
    return p;
  }
  auto p = fail(errc::cumulative_no_suitable_version, "_input_rowsets is empty");
  auto last_cumu = r.last_success[index(compaction_type::cumulative)];
  auto last_base = r.last_success[index(compaction_type::base)];
  if (last_cumu == 0 && last_base == 0) {
    p.init_success_times = true;
    return p;
  }
  auto threshold = k.pick_rowset_to_compact_interval_sec * 1000;
  if (now - last_cumu > threshold && now - last_base > threshold) {
    for (const auto& rs : candidates)
      if (rs.segments_overlapping())
        return summarize(candidates);
    p.new_point = candidates.back().start + 1;
  }
  return p;
}

/// SizeBasedCumulativeCompactionPolicy::pick_input_rowsets, then
/// CumulativeCompaction::pick_rowsets_to_compact's handling of an empty pick.
compaction_pick pick_cumulative(const replica& r, const doris_knobs& k, time_ms now) {
  if (r.state != tablet_state::running)
    return fail(errc::cumulative_invalid_parameters, "_tablet init failed");
  auto candidates = cumulative_candidates(r);
  if (candidates.empty())
    return fail(errc::cumulative_no_suitable_version, "candidate_rowsets is empty");
  std::size_t begin = 0, count = 0;
  std::int64_t score = 0, size = 0;
  std::optional<std::int64_t> delete_start;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& rs = candidates[i];
    if (rs.is_delete) {
      delete_start = rs.start;
      if (count > 0)
        break; // compact what came before the delete; base takes it over
      begin = i + 1;
      score = size = 0;
      continue;
    }
    // Checked before adding: the rowset that reaches the maximum is in.
    if (score >= k.cumulative_compaction_max_deltas)
      break;
    score += rs.score();
    size += rs.bytes;
    ++count;
  }
  auto inputs = candidates.subspan(begin, count);
  auto promotion = promotion_size(r, k);
  bool picked = size >= promotion; // big enough: compact it as it is, even one rowset
  if (!picked && delete_start) {
    if (inputs.size() == 1 && !inputs.front().segments_overlapping())
      inputs = {};
    picked = true;
  }
  if (!picked) {
    // Level rule: skip leading rowsets of a higher size level than the rest.
    auto level = [&](std::int64_t s) {
      if (s < 1024)
        return std::int64_t{0};
      auto cap = std::int64_t{1} << (63 - __builtin_clzll(std::uint64_t(std::max<std::int64_t>(promotion / 2, 1))));
      return std::min(cap, std::int64_t{1} << (63 - __builtin_clzll(std::uint64_t(s))));
    };
    std::size_t skip = 0;
    auto rest_size = size;
    auto rest_score = score;
    while (skip < inputs.size() && level(inputs[skip].bytes) > level(rest_size - inputs[skip].bytes)) {
      rest_size -= inputs[skip].bytes;
      rest_score -= inputs[skip].score();
      ++skip;
    }
    // All skipped but over the maximum: they would never change, so compact them.
    if (!(skip == inputs.size() && score >= k.cumulative_compaction_max_deltas)) {
      inputs = inputs.subspan(skip);
      size = rest_size;
      score = rest_score;
    }
    if (size < k.compaction_min_size_mbytes * mib && score < k.cumulative_compaction_min_deltas)
      inputs = {};
    else if (size >= k.compaction_min_size_mbytes * mib && inputs.size() == 1 && !inputs.front().segments_overlapping())
      inputs = {};
  }
  if (inputs.empty())
    return nothing_to_compact(r, k, now, candidates, delete_start);
  auto p = summarize(inputs);
  p.met_delete = delete_start.has_value();
  return p;
}

compaction_pick pick_base(const replica& r, const doris_knobs& k, time_ms now) {
  if (r.state != tablet_state::running)
    return fail(errc::invalid_argument, "_tablet init failed");
  auto end = std::find_if(r.rowsets.begin(), r.rowsets.end(),
                          [&](const rowset& rs) { return rs.start >= r.cumulative_point; });
  rowset_span inputs{r.rowsets.begin(), end};
  for (std::size_t i = 1; i < inputs.size(); ++i)
    if (inputs[i].start != inputs[i - 1].end + 1)
      return fail(errc::cumulative_miss_version,
                  "There are missed versions among rowsets. prev_rowset version=" +
                      std::to_string(inputs[i - 1].start) + "-" + std::to_string(inputs[i - 1].end) +
                      ", rowset version=" + std::to_string(inputs[i].start) + "-" + std::to_string(inputs[i].end));
  if (inputs.size() <= 1)
    return fail(errc::be_no_suitable_version, "_input_rowsets.size() is 1");
  if (inputs.size() == 2 && inputs[0].start == 0 && inputs[0].end == 1 && inputs[0].rows == 0)
    return fail(errc::be_no_suitable_version,
                "the tablet is with rowset: [0-1], [2-" + std::to_string(inputs[1].end) +
                    "], and [0-1] has no data. in this situation, no need to do base compaction.");
  // BaseCompaction::pick_rowsets_to_compact: add scores in version order and
  // cut right after the rowset that takes the sum over the maximum (kept).
  std::int64_t score = 0;
  std::size_t keep = 0;
  while (keep < inputs.size()) {
    score += inputs[keep++].score();
    if (score > k.base_compaction_max_compaction_score)
      break;
  }
  inputs = inputs.first(keep);
  auto base_size = inputs.front().bytes;
  std::int64_t cumu_size = 0;
  for (std::size_t i = 1; i < inputs.size(); ++i)
    cumu_size += inputs[i].bytes;
  auto num_cumulative = static_cast<std::int64_t>(inputs.size()) - 1;
  // Doris counts an empty base as one byte, so an all-empty tablet has ratio 0.
  double ratio = static_cast<double>(cumu_size) / static_cast<double>(std::max<std::int64_t>(base_size, 1));
  auto since_base = (now - inputs.front().created()) / 1000;
  if (static_cast<std::int64_t>(inputs.size()) > k.base_compaction_min_rowset_num || ratio > k.base_compaction_min_data_ratio ||
      since_base > k.base_compaction_interval_seconds_since_last_operation)
    return summarize(inputs);
  return fail(errc::be_no_suitable_version,
              "don't satisfy the base compaction policy. tablet=" + std::to_string(r.tablet_id) +
                  ", num_cumulative_rowsets=" + std::to_string(num_cumulative) +
                  ", cumulative_base_ratio=" + std::to_string(ratio) +
                  ", interval_since_last_base_compaction=" + std::to_string(since_base));
}

compaction_pick pick_full(const replica& r) {
  if (r.state != tablet_state::running)
    return fail(errc::invalid_argument, "_tablet init failed");
  rowset_span inputs{r.rowsets};
  if (inputs.size() <= 1 || (inputs.size() == 2 && inputs[0].end == 1 && inputs[0].rows == 0))
    return fail(errc::full_no_suitable_version, "There is no suitable version");
  if (!versions_contiguous(r))
    return fail(errc::full_miss_version,
                "Full compaction rowsets' versions not equal to all exist rowsets' versions. "
                "missing versions: " + missing_versions(r).front());
  return summarize(inputs);
}

} // namespace

compaction_pick pick_rowsets(const replica& r, compaction_type type, const doris_knobs& k, time_ms now) {
  switch (type) {
    case compaction_type::cumulative: return pick_cumulative(r, k, now);
    case compaction_type::base: return pick_base(r, k, now);
    case compaction_type::full: return pick_full(r);
  }
  return fail(errc::internal_error, "unknown compaction type");
}

compaction_outcome apply_compaction(replica& r, compaction_type type, const compaction_pick& pick,
                                    std::uint64_t output_id, std::uint32_t path_id,
                                    std::int64_t repair_duplicates, const doris_knobs& k, time_ms now) {
  compaction_outcome out;
  out.start = pick.start;
  out.end = pick.end;
  auto first = std::find_if(r.rowsets.begin(), r.rowsets.end(),
                            [&](const rowset& rs) { return rs.start == pick.start; });
  auto last = std::find_if(first, r.rowsets.end(), [&](const rowset& rs) { return rs.end == pick.end; });
  if (first == r.rowsets.end() || last == r.rowsets.end()) {
    out.st = status{errc::cumulative_miss_version, "compaction inputs are gone"};
    return out;
  }
  ++last;
  for (auto it = first; it != last; ++it) {
    out.rows_in += it->rows;
    out.removed_deleted += it->deleted;
    out.bytes_in += it->bytes;
  }
  repair_duplicates = std::clamp<std::int64_t>(repair_duplicates, 0, out.rows_in - out.removed_deleted);
  out.removed_duplicates = repair_duplicates;
  out.rows_out = out.rows_in - out.removed_deleted - out.removed_duplicates;
  out.bytes_out = out.rows_in == 0 ? 0
                                   : static_cast<std::int64_t>(static_cast<double>(out.bytes_in) *
                                                               static_cast<double>(out.rows_out) /
                                                               static_cast<double>(out.rows_in));
  rowset output;
  output.start = pick.start;
  output.end = pick.end;
  output.id = output_id;
  output.rows = out.rows_out;
  output.bytes = out.bytes_out;
  output.set_created(now);
  output.segments = out.rows_out == 0 ? 0
                                      : static_cast<std::uint32_t>((out.bytes_out + k.segment_size_bytes - 1) /
                                                                   k.segment_size_bytes);
  output.segments = std::max<std::uint32_t>(output.segments, out.rows_out > 0 ? 1 : 0);
  for (auto it = first; it != last; ++it)
    r.stale.push_back(stale_rowset{*it, now, path_id});
  auto pos = r.rowsets.erase(first, last);
  r.rowsets.insert(pos, output);
  release_spare(r.rowsets);
  r.duplicates -= repair_duplicates;

  if (type == compaction_type::full) {
    r.cumulative_point = std::max<std::int64_t>(r.cumulative_point, output.end + 1);
  } else if (type == compaction_type::cumulative) {
    // SizeBasedCumulativeCompactionPolicy::update_cumulative_point.
    if (pick.met_delete || output.bytes >= promotion_size(r, k) ||
        (r.merge_on_write && output.end - output.start > k.compaction_promotion_version_count))
      r.cumulative_point = std::max<std::int64_t>(r.cumulative_point, output.end + 1);
  }
  return out;
}

time_ms compaction_duration_ms(std::int64_t bytes, const doris_knobs& k, double slowdown) {
  auto throughput = std::max<std::int64_t>(k.disk_throughput_bytes_per_sec, 1);
  auto io_ms = static_cast<double>(bytes) * 1000.0 / static_cast<double>(throughput);
  return k.compaction_fixed_cost_ms + static_cast<time_ms>(std::ceil(io_ms * std::max(slowdown, 0.0)));
}

} // namespace compactsim::sim
