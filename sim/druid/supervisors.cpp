#include "sim/druid/supervisors.hpp"

#include <algorithm>

namespace compactsim::sim::druid {

std::string supervisor_id(const std::string& data_source) { return "autocompact__" + data_source; }

const char* to_string(supervisor_state s) {
  switch (s) {
  case supervisor_state::scheduler_stopped: return "SCHEDULER_STOPPED";
  case supervisor_state::running: return "RUNNING";
  case supervisor_state::suspended: return "SUSPENDED";
  }
  return "RUNNING";
}

const supervisor_entry* supervisor_board::find(const std::string& id) const {
  for (const auto& s : supervisors)
    if (s.id == id)
      return &s;
  return nullptr;
}

supervisor_state compaction_supervisors::state_of(const compaction_supervisor_spec& s) const {
  // CompactionSupervisor#getState. A native-engine spec is always valid
  // (ClientCompactionRunnerInfo#validateCompactionConfig), so INVALID_SPEC
  // never comes up here.
  if (!enabled_)
    return supervisor_state::scheduler_stopped;
  return s.suspended ? supervisor_state::suspended : supervisor_state::running;
}

void compaction_supervisors::stop(const std::string& id) {
  // CompactionSupervisor#stop -> OverlordCompactionScheduler#stopCompaction:
  // the datasource leaves the active configs; the duty's last snapshot of it
  // stays until the next run.
  supervisors_.erase(id);
}

std::string compaction_supervisors::put(compaction_supervisor_spec s, time_ms now) {
  auto id = supervisor_id(s.spec.data_source);
  stop(id);
  table_.push_back({id, s, s.spec.data_source, now});
  supervisors_[id] = held{std::move(s), next_seq_++};
  return id;
}

supervisor_outcome compaction_supervisors::apply(const supervisor_command& c, time_ms now) {
  using op = supervisor_command::op;
  if (c.id.empty()) {
    // suspendAll / resumeAll / terminateAll: each supervisor in turn, every
    // outcome ignored ({"status": "success"}).
    std::vector<std::string> ids;
    for (const auto& [id, h] : supervisors_)
      ids.push_back(id);
    for (const auto& id : ids)
      apply({c.what, id}, now);
    return supervisor_outcome::done;
  }
  auto it = supervisors_.find(c.id);
  if (it == supervisors_.end())
    return supervisor_outcome::absent;
  if (c.what == op::terminate) {
    // possiblyStopAndRemoveSupervisorInternal writes a NoopSupervisorSpec tombstone.
    table_.push_back({c.id, std::nullopt, it->second.spec.spec.data_source, now});
    stop(c.id);
    return supervisor_outcome::done;
  }
  bool suspend = c.what == op::suspend;
  if (it->second.spec.suspended == suspend)
    return supervisor_outcome::already;
  // possiblySuspendOrResumeSupervisorInternal: the next state's spec
  // replaces the supervisor and goes to the history.
  auto next = it->second.spec;
  next.suspended = suspend;
  auto seq = it->second.seq;
  table_.push_back({c.id, next, next.spec.data_source, now});
  it->second = held{std::move(next), seq};
  return supervisor_outcome::done;
}

std::vector<versioned_spec> compaction_supervisors::history(const std::string& id) const {
  // SQLMetadataSupervisorManager#getAllForId and #getAll: newest first.
  std::vector<versioned_spec> out;
  for (auto it = table_.rbegin(); it != table_.rend(); ++it)
    if (id.empty() || it->id == id)
      out.push_back(*it);
  return out;
}

supervisor_board compaction_supervisors::board(time_ms now) const {
  supervisor_board b;
  b.scheduler_running = enabled_;
  b.now = now;
  // SupervisorManager keeps a ConcurrentHashMap; with a handful of ids its
  // keys iterate as a HashMap's do.
  std::vector<const std::string*> keys;
  std::vector<const std::pair<const std::string, held>*> entries;
  for (const auto& e : supervisors_) {
    entries.push_back(&e);
  }
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->second.seq < b->second.seq; });
  for (const auto* e : entries)
    keys.push_back(&e->first);
  for (auto i : java_hash_permutation(keys)) {
    const auto& [id, h] = *entries[i];
    b.supervisors.push_back({id, h.spec, state_of(h.spec)});
  }
  b.status = {latest_, runs_};
  return b;
}

cluster_compaction_config compaction_supervisors::active_config(const cluster_compaction_config& cluster) const {
  // OverlordCompactionScheduler#getLatestConfig: the cluster settings with
  // the active datasources' configs.
  cluster_compaction_config out;
  out.slot_ratio = cluster.slot_ratio;
  out.max_slots = cluster.max_slots;
  out.use_auto_scale_slots = cluster.use_auto_scale_slots;
  out.policy = cluster.policy;
  if (!enabled_)
    return out;
  std::vector<const std::pair<const std::string, held>*> entries;
  for (const auto& e : supervisors_)
    if (!e.second.spec.suspended)
      entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->second.seq < b->second.seq; });
  for (const auto* e : entries)
    out.put(e->second.spec.spec);
  return out;
}


duty_result compaction_supervisors::run(const duty_view& view, const cluster_compaction_config& cluster, time_ms now) {
  auto config = active_config(cluster);
  auto result = run_compact_segments(input_for(config, view, now), ids_);
  latest_ = result.snapshot;
  ++runs_;
  return result;
}

simulation compaction_supervisors::simulate(const duty_view& view, const cluster_compaction_config& cluster,
                                            const cluster_update& update, time_ms now) const {
  if (!enabled_)
    return {};
  auto config = active_config(cluster);
  return simulate_compact_segments(input_for(config, view, now), update.policy);
}

} // namespace compactsim::sim::druid
