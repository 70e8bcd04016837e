#include "actors/doris/backend_node.hpp"

#include <algorithm>

#include "actors/pause.hpp"

namespace compactsim::actors {

namespace {

using self_ptr = backend_actor::stateful_pointer<backend_state>;

/// The time the model works in: the cluster's simulated time. A skewed
/// host clock (a clock_skew fault) changes only the times this BE prints
/// (tablet_snapshot::clock_skew), not when it works: a skew healed or
/// injected never stalls the producer or leaves failure times in the future.
sim::time_ms now(self_ptr self) { return self->state.clock.now(self->clock()); }

void schedule_tasks(self_ptr self, const std::vector<sim::started_task>& tasks) {
  auto t = now(self);
  for (const auto& task : tasks) {
    ++self->state.stats.started;
    self->delayed_send(self, self->state.clock.until(t, task.finish_at), done_atom::value, task.id);
  }
}

void schedule_tick(self_ptr self, std::int64_t delay_ms) {
  self->delayed_send(self, self->state.clock.delay(delay_ms), produce_atom::value,
                     self->state.producer_generation);
}

/// A finished task wakes a sleeping producer, as Doris's _wakeup_producer_flag does.
void wake_producer(self_ptr self) {
  auto& st = self->state;
  if (!st.producer_sleeping)
    return;
  st.producer_sleeping = false;
  ++st.producer_generation;
  schedule_tick(self, st.model->knobs().generate_compaction_tasks_interval_ms);
}

void on_tick(self_ptr self, std::uint64_t generation) {
  auto& st = self->state;
  if (generation != st.producer_generation)
    return;
  auto round = st.model->produce(now(self));
  schedule_tasks(self, round.started);
  const auto& k = st.model->knobs();
  st.producer_sleeping = round.started.empty();
  schedule_tick(self, st.producer_sleeping ? k.producer_idle_sleep_ms : k.generate_compaction_tasks_interval_ms);
}

void on_done(self_ptr self, std::uint64_t task) {
  auto& st = self->state;
  std::vector<sim::started_task> next;
  auto outcome = st.model->finish(task, now(self), false, next);
  if (outcome.st.code == sim::errc::not_found)
    return; // aborted by a crash before it finished
  ++(outcome.st.ok() ? st.stats.finished : st.stats.failed);
  schedule_tasks(self, next);
  if (auto it = st.waiting.find(task); it != st.waiting.end()) {
    it->second.deliver(outcome.st);
    st.waiting.erase(it);
  }
  wake_producer(self);
}

sim::run_status_view run_status(const sim::backend_model& m, std::int64_t tablet_id) {
  sim::run_status_view v;
  v.tablet_id = tablet_id;
  const auto* r = m.find(tablet_id);
  if (r == nullptr)
    return v;
  v.found = true;
  v.schema_hash = r->schema_hash;
  // Doris probes full first, then the cumulative lock, then the base lock.
  for (auto t : {sim::compaction_type::full, sim::compaction_type::cumulative, sim::compaction_type::base})
    if (r->is_running(t)) {
      v.running = true;
      v.compact_type = std::string{sim::to_string(t)};
      break;
    }
  return v;
}

sim::registry_view registry(const sim::backend_model& m) {
  sim::registry_view v;
  v.data_dir = "/opt/doris/be/storage";
  for (auto type : {sim::compaction_type::base, sim::compaction_type::cumulative, sim::compaction_type::full}) {
    std::vector<std::int64_t> ids;
    for (const auto& [id, task] : m.tasks())
      if (!task.manual && task.type == type)
        ids.push_back(task.tablet_id);
    std::sort(ids.begin(), ids.end());
    v.by_type.emplace_back(std::string{sim::to_string(type)}, std::move(ids));
  }
  return v;
}

backend_stats stats(const backend_state& st) {
  auto s = st.stats;
  s.rejected_loads = st.model->rejected_loads();
  s.replicas = static_cast<std::int64_t>(st.model->replicas().size());
  for (const auto& r : st.model->replicas()) {
    s.max_version_count = std::max<std::int64_t>(s.max_version_count, static_cast<std::int64_t>(r.rowsets.size()));
    s.max_cumulative_score = std::max(s.max_cumulative_score, r.cumu_score);
    s.max_base_score = std::max(s.max_base_score, r.base_score);
  }
  return s;
}

/// A manual run (POST /api/compaction/run?tablet_id): answered by its
/// result, or by Success once Doris would stop waiting.
caf::result<sim::status> on_run(self_ptr self, std::int64_t tablet, std::uint8_t type) {
  auto& st = self->state;
  sim::started_task task;
  auto t = now(self);
  auto result = st.model->run_compaction(tablet, static_cast<sim::compaction_type>(type), t, task);
  if (!result.ok())
    return result;
  // A full compaction queued behind the tablet's locks has no task yet:
  // its wait gets a key of its own (high bit set) and ends in Success.
  auto key = task.id != 0 ? task.id : (std::uint64_t{1} << 63) | st.next_queued_wait++;
  if (task.id != 0)
    schedule_tasks(self, {task});
  // Doris waits up to 2 s for the result, then answers Success anyway.
  auto promise = self->make_response_promise<sim::status>();
  st.waiting.emplace(key, promise);
  self->delayed_send(self, st.clock.delay(st.model->knobs().manual_compaction_wait_ms), waited_atom::value, key);
  return promise;
}

sim::tablet_snapshot show(const sim::backend_model& m, std::int64_t tablet) {
  sim::tablet_snapshot snap;
  if (const auto* r = m.find(tablet)) {
    snap.found = true;
    snap.data = *r;
    for (auto t : {sim::compaction_type::cumulative, sim::compaction_type::base, sim::compaction_type::full})
      snap.last_status[sim::index(t)] = m.last_status_text(*r, t);
  }
  snap.uid = m.uid();
  snap.clock_skew = m.faults().clock_skew;
  return snap;
}

/// A BE model's fault turned on or off.
void on_fault(self_ptr self, const backend_fault& fault) {
  auto& f = self->state.model->faults();
  auto on = fault.on;
  switch (fault.kind) {
    case sim::fault_kind::slow_disk: f.slowdown = on ? fault.factor : 1.0; break;
    case sim::fault_kind::compaction_failure: f.failure_probability = on ? fault.probability : 0.0; break;
    case sim::fault_kind::disk_full: f.disk_full = on; break;
    case sim::fault_kind::clock_skew: f.clock_skew = on ? fault.skew : 0; break;
    case sim::fault_kind::corrupt_delete_bitmap:
      if (on) {
        std::int64_t corrupted = 0;
        self->state.model->corrupt_delete_bitmap(fault.table, fault.rows, corrupted);
      }
      break;
    default: return; // crash, pause and the network's faults are not a BE model's
  }
  wake_producer(self);
}

} // namespace

backend_actor::behavior_type backend_node(self_ptr self, std::shared_ptr<sim::backend_model> model, sim_clock clock) {
  self->state.model = std::move(model);
  // A restarted BE: compactions in flight when the process died are gone.
  self->state.model->abort_all_tasks();
  self->state.clock = clock;
  schedule_tick(self, self->state.model->knobs().generate_compaction_tasks_interval_ms);
  return {
    [=](run_atom, std::int64_t tablet, std::uint8_t type) -> caf::result<sim::status> {
      return on_run(self, tablet, type);
    },
    [=](waited_atom, std::uint64_t task) {
      if (auto it = self->state.waiting.find(task); it != self->state.waiting.end()) {
        it->second.deliver(sim::status::success());
        self->state.waiting.erase(it);
      }
    },
    [=](table_full_atom, std::int64_t table) {
      std::vector<sim::started_task> started;
      auto result = self->state.model->run_table_full(table, now(self), started);
      schedule_tasks(self, started);
      return result;
    },
    [=](run_status_atom, std::int64_t tablet) { return run_status(*self->state.model, tablet); },
    [=](run_status_atom) { return registry(*self->state.model); },
    [=](show_atom, std::int64_t tablet) { return show(*self->state.model, tablet); },
    [=](score_atom) {
      std::vector<sim::score_entry> out;
      for (const auto& r : self->state.model->replicas())
        out.push_back({r.tablet_id, sim::real_compaction_score(r)});
      return out;
    },
    [=](tablets_atom) {
      std::vector<sim::tablet_brief> out;
      for (const auto& r : self->state.model->replicas())
        out.push_back({r.tablet_id, r.schema_hash});
      std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.tablet_id < b.tablet_id; });
      return out;
    },
    [=](knobs_atom) { return self->state.model->knobs(); },
    [=](set_conf_atom, const sim::config_updates& updates) {
      // UpdateConfigAction: each item in turn; a failed one leaves its knob as it was.
      std::vector<sim::status> out;
      for (const auto& [name, value] : updates)
        out.push_back(sim::set_config(self->state.model->knobs(), name, value));
      wake_producer(self); // disable_auto_compaction=false takes effect now
      return out;
    },
    [=](bitmap_atom, std::int64_t tablet) {
      const auto* r = self->state.model->find(tablet);
      return r ? sim::delete_bitmap_of(*r) : sim::delete_bitmap_view{};
    },
    [=](load_prep_atom, const std::vector<std::int64_t>& tables) {
      std::vector<sim::status> out;
      out.reserve(tables.size());
      std::vector<sim::started_task> forced;
      auto t = now(self);
      for (auto table : tables)
        out.push_back(self->state.model->prepare_load(table, t, forced));
      schedule_tasks(self, forced);
      return out;
    },
    [=](load_commit_atom, const std::vector<sim::table_load>& batch) {
      auto t = now(self);
      for (const auto& [table, load] : batch) {
        ++self->state.stats.loads;
        self->state.model->commit_load(table, load, t);
      }
      return true;
    },
    [=](pause_atom, bool on) {
      if (on)
        pause_actor<backend_actor::behavior_type>(self);
    },
    [=](be_fault_atom, const backend_fault& fault) { on_fault(self, fault); },
    [=](corrupt_atom, std::int64_t table, std::int64_t rows) {
      std::int64_t corrupted = 0;
      auto result = self->state.model->corrupt_delete_bitmap(table, rows, corrupted);
      return std::make_tuple(result, corrupted);
    },
    [=](stats_atom) { return stats(self->state); },
    [=](produce_atom, std::uint64_t generation) { on_tick(self, generation); },
    [=](done_atom, std::uint64_t task) { on_done(self, task); },
    [=](exec_atom, const backend_job& job) {
      job(*self->state.model, now(self));
      wake_producer(self);
      return true;
    },
  };
}

} // namespace compactsim::actors
