//! backend_model's loads: the version-count check before a load (and the
//! cumulative compaction it forces near the limit), publishes in version
//! order with the ones that arrive early held back, and the injected
//! delete-bitmap corruption.

#include "sim/doris/backend.hpp"

#include <algorithm>

#include "sim/doris/backend_internal.hpp"

namespace compactsim::sim {

using detail::lock_busy;

status backend_model::prepare_load(std::int64_t table_id, time_ms now, std::vector<started_task>& forced) {
  auto found = by_table_.find(table_id);
  if (found == by_table_.end())
    return status::success();
  if (debug_fires("TxnManager.prepare_txn.random_failed", 0.5, now)) {
    ++rejected_loads_;
    return {errc::internal_error, "debug point TxnManager.prepare_txn.random_failed"};
  }
  if (faults_.disk_full) {
    ++rejected_loads_;
    if (trace_)
      emit(now, "load.reject", {{"table", table_id}, {"status", code_name(errc::disk_exceed_capacity)}});
    return {errc::disk_exceed_capacity, "disk reach capacity limit"};
  }
  for (auto idx : found->second) {
    auto& r = replicas_[idx];
    auto count = static_cast<std::int64_t>(r.rowsets.size());
    if (count > knobs_.max_tablet_version_num - 100 && !lock_busy(r, compaction_type::cumulative)) {
      // RowsetBuilder::check_tablet_version_count forces a cumulative compaction.
      auto pick = pick_rowsets(r, compaction_type::cumulative, knobs_, now);
      if (pick.st.ok()) {
        auto id = start(idx, compaction_type::cumulative, std::move(pick), false, now, "load");
        forced.push_back({id, tasks_.at(id).finish_at});
      }
    }
    if (count > knobs_.max_tablet_version_num) {
      ++rejected_loads_;
      if (trace_)
        emit(now, "load.reject", {{"table", table_id}, {"tablet", r.tablet_id}, {"status", code_name(errc::too_many_version)}});
      return {errc::too_many_version,
              "failed to init rowset builder. version count: " + std::to_string(count) +
                  ", exceed limit: " + std::to_string(knobs_.max_tablet_version_num) +
                  ", tablet: " + std::to_string(r.tablet_id) +
                  ". Please reduce the frequency of loading data or adjust the max_tablet_version_num or "
                  "time_series_max_tablet_version_num in be.conf to a larger value."};
    }
  }
  return status::success();
}

void backend_model::commit_load(std::int64_t table_id, const load_spec& load, time_ms now) {
  auto found = by_table_.find(table_id);
  if (found == by_table_.end() || found->second.empty())
    return;
  auto have = max_version(replicas_[found->second.front()]);
  if (load.version <= have)
    return; // a duplicate publish
  if (load.version > have + 1) {
    held_[table_id].emplace(load.version, load);
    return;
  }
  publish(found->second, table_id, load, now);
  ++have;
  // Then every held version that is now next in line.
  auto held = held_.find(table_id);
  if (held == held_.end())
    return;
  auto& versions = held->second;
  for (auto it = versions.begin(); it != versions.end() && it->first <= have + 1; it = versions.erase(it))
    if (it->first == have + 1) {
      publish(found->second, table_id, it->second, now);
      ++have;
    }
  if (versions.empty())
    held_.erase(held);
}

std::size_t backend_model::held_publishes() const {
  std::size_t n = 0;
  for (const auto& [table, versions] : held_)
    n += versions.size();
  return n;
}

void backend_model::publish(const std::vector<std::uint32_t>& replicas, std::int64_t table_id, const load_spec& load,
                            time_ms now) {
  if (trace_)
    emit(now, "load.commit", {{"table", table_id}, {"version", load.version}, {"rows", load.rows}});
  for (auto idx : replicas) {
    auto& r = replicas_[idx];
    rowset rs;
    rs.start = rs.end = load.version;
    rs.id = next_rowset_++;
    rs.rows = load.rows;
    rs.bytes = load.rows * load.bytes_per_row;
    rs.set_created(now);
    rs.segments = load.rows > 0 ? std::max<std::uint32_t>(load.segments, 1) : 0;
    rs.overlapping = rs.segments > 1;
    rs.is_delete = load.is_delete;
    auto superseding = static_cast<std::int64_t>(static_cast<double>(load.rows) * load.superseding_ratio);
    apply_load(r, rs, superseding);
    rescore(idx, true);
  }
}

status backend_model::corrupt_delete_bitmap(std::int64_t table_id, std::int64_t rows, std::int64_t& corrupted) {
  corrupted = 0;
  auto t = tables_.find(table_id);
  if (t == tables_.end())
    return {errc::not_found, "table not found. table_id=" + std::to_string(table_id)};
  if (!t->second.merge_on_write)
    return {errc::invalid_argument, "table " + std::to_string(table_id) + " is not a merge-on-write unique-key table"};
  for (auto idx : by_table_[table_id])
    corrupted += sim::corrupt_delete_bitmap(replicas_[idx], rows);
  return status::success();
}

} // namespace compactsim::sim
