//! backend_model's catalog and compaction: manual runs, the producer with
//! its per-disk slots, task completion, and the trace and debug points.
//! Loads and publishes are in backend_loads.cpp.

#include "sim/doris/backend.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/doris/backend_internal.hpp"

namespace compactsim::sim {

using detail::lock_busy;

namespace {

std::string busy_message(compaction_type type, std::int64_t tablet) {
  switch (type) {
    case compaction_type::base: return "another base compaction is running. tablet=" + std::to_string(tablet);
    case compaction_type::cumulative:
      return "The tablet is under cumulative compaction. tablet=" + std::to_string(tablet);
    case compaction_type::full: return "another full compaction is running. tablet=" + std::to_string(tablet);
  }
  return {};
}

} // namespace

backend_model::backend_model(std::int64_t backend_id, doris_knobs knobs, std::uint16_t disks, std::uint64_t seed)
  : backend_id_(backend_id), knobs_(knobs), rng_(seed), disks_(std::max<std::uint16_t>(disks, 1)) {
  auto ids = derive(seed, seed_stream::rowset_ids);
  uid_.first = ids.next();
  uid_.second = ids.next();
}

void backend_model::add_table(const table_info& t) {
  tables_[t.id] = t;
}

const table_info* backend_model::table(std::int64_t id) const {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : &it->second;
}

std::vector<std::uint32_t>& backend_model::table_replicas(std::int64_t table_id) {
  return by_table_[table_id];
}

replica& backend_model::add_replica(std::int64_t tablet_id, std::int64_t table_id, time_ms now,
                                    std::size_t expected_rowsets) {
  if (auto it = by_tablet_.find(tablet_id); it != by_tablet_.end())
    return replicas_[it->second];
  const auto& t = tables_.at(table_id);
  auto disk = static_cast<std::uint16_t>(mix64(static_cast<std::uint64_t>(tablet_id)) % disks_.size());
  auto idx = static_cast<std::uint32_t>(replicas_.size());
  replicas_.push_back(make_replica(tablet_id, table_id, t.schema_hash, disk, t.keys, t.merge_on_write,
                                   next_rowset_++, now));
  replicas_.back().rowsets.reserve(std::max<std::size_t>(expected_rowsets, 1));
  by_tablet_[tablet_id] = idx;
  table_replicas(table_id).push_back(idx);
  rescore(idx);
  return replicas_[idx];
}

const replica* backend_model::find(std::int64_t tablet_id) const {
  auto it = by_tablet_.find(tablet_id);
  return it == by_tablet_.end() ? nullptr : &replicas_[it->second];
}

const compaction_task* backend_model::task(std::uint64_t id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

void backend_model::rescore(std::uint32_t idx, bool appended) {
  auto& r = replicas_[idx];
  auto& d = disks_[r.disk];
  // A replica is in its disk's score index exactly when its cached score is
  // positive, so only a changed score touches the index.
  auto old_base = r.base_score, old_cumu = r.cumu_score;
  if (!(appended ? append_scores(r, knobs_) : refresh_scores(r, knobs_)))
    return;
  d.cumulative.move(idx, old_cumu, r.cumu_score);
  d.base.move(idx, old_base, r.base_score);
}

void backend_model::apply_pick_effects(replica& r, const compaction_pick& pick, time_ms now) {
  if (pick.new_point)
    r.cumulative_point = *pick.new_point;
  if (pick.init_success_times) {
    // CumulativeCompaction::pick_rowsets_to_compact: "init the compaction
    // success time for first time".
    r.last_success[index(compaction_type::cumulative)] = now;
    r.last_success[index(compaction_type::base)] = now;
  }
}

bool backend_model::base_pool_free() const {
  return base_pool_running_ < knobs_.max_base_compaction_threads;
}

void backend_model::record_failure(replica& r, compaction_type type, const status& st, time_ms now) {
  r.last_failure[index(type)] = now;
  r.last_status[index(type)] = st.code;
  // The message is kept apart (only failing tablets have one): Doris prints
  // Status::to_string, with the tablet and the numbers.
  last_messages_[{r.tablet_id, static_cast<std::uint8_t>(index(type))}] = st.msg;
}

std::uint64_t backend_model::start(std::uint32_t idx, compaction_type type, compaction_pick pick, bool manual, time_ms now,
                                    std::string_view trigger) {
  auto& r = replicas_[idx];
  compaction_task t;
  t.id = next_task_++;
  t.tablet_id = r.tablet_id;
  t.replica = idx;
  t.type = type;
  t.manual = manual;
  t.repair_duplicates = (type == compaction_type::full && r.merge_on_write) ? r.duplicates : 0;
  t.started = now;
  t.finish_at = now + compaction_duration_ms(pick.input_bytes, knobs_, faults_.slowdown);
  if (trace_)
    emit(now, "compaction.start",
       {{"tablet", r.tablet_id}, {"type", to_string(type)}, {"versions", std::to_string(pick.start) + "-" + std::to_string(pick.end)},
        {"bytes", pick.input_bytes}, {"manual", manual}, {"trigger", trigger}});
  t.pick = std::move(pick);
  r.running |= running_bit(type);
  r.last_schedule[index(type)] = now;
  // _generate_compaction_tasks counts the cumulative and base registries
  // per disk; full tasks run in the base pool without taking a disk slot.
  if (!manual && type != compaction_type::full) {
    ++disks_[r.disk].executing;
    if (type == compaction_type::base)
      ++disks_[r.disk].executing_base;
  }
  if (!manual && type != compaction_type::cumulative)
    ++base_pool_running_;
  tasks_.emplace(t.id, t);
  return t.id;
}

status backend_model::run_compaction(std::int64_t tablet_id, compaction_type type, time_ms now, started_task& out) {
  auto it = by_tablet_.find(tablet_id);
  if (it == by_tablet_.end())
    return {errc::not_found, "Tablet not found. tablet_id=" + std::to_string(tablet_id)};
  auto& r = replicas_[it->second];
  r.last_schedule[index(type)] = now;
  if (type == compaction_type::full && (r.running != 0 || pending_full_.contains(it->second))) {
    // FullCompaction::prepare_compact takes the base and cumulative locks
    // blocking: the run waits for the compaction holding them, then starts.
    pending_full_.emplace(it->second, true);
    out = {};
    return status::success();
  }
  if (lock_busy(r, type))
    return {errc::try_lock_failed, busy_message(type, tablet_id)};
  auto pick = pick_rowsets(r, type, knobs_, now);
  apply_pick_effects(r, pick, now);
  if (!pick.st.ok()) {
    record_failure(r, type, pick.st, now);
    rescore(it->second);
    return pick.st;
  }
  out.id = start(it->second, type, std::move(pick), true, now, "tablet_id");
  out.finish_at = tasks_.at(out.id).finish_at;
  return status::success();
}

status backend_model::run_table_full(std::int64_t table_id, time_ms now, std::vector<started_task>& out) {
  auto found = by_table_.find(table_id);
  if (found == by_table_.end())
    return status::success(); // no tablet of that table here: an empty loop
  for (auto idx : found->second) {
    auto& r = replicas_[idx];
    if (r.is_running(compaction_type::full) || pending_full_.contains(idx))
      return {errc::already_exist, "compaction task has already been submitted, tablet_id=" +
                                       std::to_string(r.tablet_id) + ", compaction_type=3."};
    r.last_schedule[index(compaction_type::full)] = now;
    if (r.running != 0 || !base_pool_free()) {
      // Doris blocks on the tablet's locks, and a busy base pool queues the
      // task: either way it starts later.
      pending_full_.emplace(idx, false);
      continue;
    }
    start_full(idx, false, now, out);
  }
  return status::success();
}

void backend_model::start_full(std::uint32_t idx, bool manual, time_ms now, std::vector<started_task>& out) {
  auto& r = replicas_[idx];
  auto pick = pick_rowsets(r, compaction_type::full, knobs_, now);
  if (!pick.st.ok()) {
    // Tablet::prepare_compaction_and_calculate_permits: the failure time is
    // set and E-2008 is swallowed (a table_id loop goes on).
    record_failure(r, compaction_type::full, pick.st, now);
    return;
  }
  auto id = start(idx, compaction_type::full, std::move(pick), manual, now, manual ? "tablet_id" : "table_id");
  out.push_back({id, tasks_.at(id).finish_at});
}

bool backend_model::can_generate(const disk_state& d, compaction_type type) const {
  int slots = knobs_.compaction_task_num_per_disk;
  if (d.executing >= slots)
    return false;
  // The last slot is kept for cumulative compaction.
  if (d.executing >= slots - 1 && type == compaction_type::base && d.executing_base == d.executing)
    return false;
  return true;
}

bool backend_model::eligible(const replica& r, compaction_type type, time_ms now) const {
  if (r.state != tablet_state::running || lock_busy(r, type) || r.skip_until > now)
    return false;
  if (r.last_failure[index(type)] + knobs_.min_compaction_failure_interval_ms > now &&
      r.last_failure[index(type)] != 0)
    return false;
  const auto& t = tables_.at(r.table_id);
  return !t.disable_auto_compaction;
}

producer_round backend_model::produce(time_ms now) {
  producer_round result;
  if (knobs_.disable_auto_compaction)
    return result;
  auto type = compaction_type::cumulative;
  if (round_ < knobs_.cumulative_compaction_rounds_for_each_base_compaction_round) {
    ++round_;
  } else {
    type = compaction_type::base;
    round_ = 0;
  }
  for (std::uint16_t disk = 0; disk < disks_.size(); ++disk) {
    auto& d = disks_[disk];
    if (!can_generate(d, type))
      continue;
    auto& index = type == compaction_type::cumulative ? d.cumulative : d.base;
    // The first eligible tablet by score; the visit ends with the index's
    // only change.
    index.visit([&](std::uint32_t, std::uint32_t idx) {
      auto& r = replicas_[idx];
      if (!eligible(r, type, now))
        return true;
      result.idle = false;
      auto pick = pick_rowsets(r, type, knobs_, now);
      apply_pick_effects(r, pick, now);
      if (!pick.st.ok()) {
        // Nothing suitable: remember it, and leave the tablet alone for a while.
        record_failure(r, type, pick.st, now);
        r.skip_until = now + knobs_.skip_tablet_compaction_second * 1000;
        rescore(idx);
        return false;
      }
      auto id = start(idx, type, std::move(pick), false, now, "auto");
      result.started.push_back({id, tasks_.at(id).finish_at});
      return false;
    });
  }
  return result;
}

compaction_outcome backend_model::finish(std::uint64_t task_id, time_ms now, bool fail,
                                         std::vector<started_task>& next) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end())
    return compaction_outcome{status{errc::not_found, "no such task"}};
  auto t = std::move(it->second);
  tasks_.erase(it);
  auto& r = replicas_[t.replica];
  r.running &= static_cast<std::uint8_t>(~running_bit(t.type));
  if (!t.manual && t.type != compaction_type::full) {
    --disks_[r.disk].executing;
    if (t.type == compaction_type::base)
      --disks_[r.disk].executing_base;
  }
  if (!t.manual && t.type != compaction_type::cumulative)
    --base_pool_running_;
  compaction_outcome out;
  if (faults_.disk_full) {
    out.st = status{errc::disk_exceed_capacity, "disk reach capacity limit"};
  } else if (fail || (faults_.failure_probability > 0 && rng_.chance(faults_.failure_probability)) ||
             debug_fires("Compaction.failed", 1.0, now)) {
    out.st = status{errc::internal_error, "compaction failed (injected)"};
  } else {
    out = apply_compaction(r, t.type, t.pick, next_rowset_++, next_path_++, t.repair_duplicates, knobs_, now);
  }
  if (out.st.ok()) {
    r.last_success[index(t.type)] = now;
    r.last_status[index(t.type)] = errc::ok;
    last_messages_.erase({r.tablet_id, static_cast<std::uint8_t>(index(t.type))});
    if (trace_)
      emit(now, "compaction.finish",
         {{"tablet", r.tablet_id}, {"type", to_string(t.type)}, {"rows_in", out.rows_in}, {"rows_out", out.rows_out},
          {"removed_deleted", out.removed_deleted}, {"removed_duplicates", out.removed_duplicates},
          {"bytes_in", out.bytes_in}, {"bytes_out", out.bytes_out}});
  } else {
    record_failure(r, t.type, out.st, now);
    if (trace_)
      emit(now, "compaction.fail", {{"tablet", r.tablet_id}, {"type", to_string(t.type)}, {"status", code_name(out.st.code)}});
  }
  sweep_stale(r, now, knobs_);
  rescore(t.replica);
  start_pending_fulls(now, next);
  return out;
}

void backend_model::start_pending_fulls(time_ms now, std::vector<started_task>& next) {
  for (auto it = pending_full_.begin(); it != pending_full_.end();) {
    auto [idx, manual] = *it;
    auto& r = replicas_[idx];
    if (r.running != 0 || (!manual && !base_pool_free())) {
      ++it;
      continue;
    }
    it = pending_full_.erase(it);
    start_full(idx, manual, now, next);
  }
}

std::string backend_model::last_status_text(const replica& r, compaction_type type) const {
  auto code = r.last_status[index(type)];
  auto it = last_messages_.find({r.tablet_id, static_cast<std::uint8_t>(index(type))});
  if (code == errc::ok || it == last_messages_.end())
    return status_string(code);
  return to_string(status{code, it->second});
}

void backend_model::shrink_to_fit() {
  for (auto& r : replicas_)
    r.rowsets.shrink_to_fit();
  replicas_.shrink_to_fit();
}

void backend_model::abort_all_tasks() {
  for (const auto& [id, t] : tasks_)
    replicas_[t.replica].running = 0;
  tasks_.clear();
  pending_full_.clear();
  base_pool_running_ = 0;
  for (auto& d : disks_)
    d.executing = d.executing_base = 0;
}

bool backend_model::debug_fires(const std::string& name, double default_percent, time_ms now) {
  if (debug_.empty())
    return false;
  auto percent = debug_.param(name, "percent", default_percent); // read before check() may retire the point
  return debug_.check(name, now) && rng_.chance(percent);
}

void backend_model::emit(time_ms now, std::string_view kind, std::initializer_list<trace_field> data) {
  if (trace_)
    trace_->emit({now, trace_name_, kind, data, faults_.clock_skew != 0 ? now + faults_.clock_skew : -1});
}

} // namespace compactsim::sim
