#include "actors/druid/overlord_node.hpp"

#include "sim/druid/bootstrap.hpp"

namespace compactsim::actors {

namespace {

using self_ptr = druid_overlord_actor::stateful_pointer<druid_overlord_state>;

/// The overlord host's clock: the cluster's, plus any injected skew.
sim::time_ms now(self_ptr self) { return self->state.clock.now(self->clock()) + self->state.model->clock_skew(); }

/// How long the overlord waits for a worker that stopped reporting before
/// it fails the worker's task (Druid's taskCleanupTimeout, PT900S).
constexpr sim::time_ms task_cleanup_timeout_ms = 900'000;

/// The message Druid's HttpRemoteTaskRunner leaves on a task whose worker vanished.
constexpr const char* worker_gone =
  "The worker that this task was assigned disappeared and did not report cleanup within timeout[PT900S]. "
  "See overlord and middleManager/indexer logs for reasons why the task failed.";

/// Moves queued tasks forward and hands those that start to their worker's peon.
void step(self_ptr self) {
  auto t = now(self);
  for (const auto& s : self->state.model->step(t)) {
    auto delay = self->state.clock.until(t, s.finish_at);
    auto w = static_cast<std::size_t>(self->state.model->find(s.id)->worker);
    if (w >= self->state.workers.size()) {
      self->delayed_send(self, delay, task_done_atom::value, s.id);
      continue;
    }
    auto& st = self->state;
    auto run_ms = s.finish_at - t;
    net_request<std::string>(
      // A worker that does not report back within the task's run time and
      // the cleanup timeout (stopped, cut off) loses the task.
      self, st.net, st.clock, "overlord", "worker:" + std::to_string(w), st.workers[w],
      run_ms + task_cleanup_timeout_ms, run_ms + task_cleanup_timeout_ms, [=](const std::string& id) { self->send(self, task_done_atom::value, id); },
      [=, id = s.id](const caf::error& e) {
        if (e == caf::sec::request_timeout)
          self->state.model->shutdown(id, now(self), worker_gone); // the worker went silent
        else
          self->state.model->worker_lost(static_cast<int>(w), now(self), worker_gone);
        step(self);
      },
      peon_atom::value, s.id, std::int64_t{delay.count()});
  }
}

/// The columns of a datasource's streamed segments: its configured ones,
/// or the wikipedia ones for a datasource the config does not name.
const sim::druid::segment_schema& schema_for(const druid_overlord_state& st, const std::string& ds) {
  static const sim::druid::segment_schema wikipedia{{"channel", "page", "user", "isRobot", "countryName"},
                                                    {"count", "added", "deleted"}, sim::druid::granularity::none, false};
  auto it = st.schemas.find(ds);
  return it == st.schemas.end() ? wikipedia : it->second;
}

/// The overlord's figures for /metrics.
druid_overlord_metrics overlord_metrics(const sim::druid::overlord& o) {
  druid_overlord_metrics m;
  m.total_slots = o.total_capacity();
  m.used_slots = o.used_capacity();
  for (const auto* t : o.tasks()) {
    auto& e = m.tasks_by_datasource[t->data_source];
    e.active += t->active() ? 1 : 0;
    e.failed += t->state == sim::druid::task_state::failed ? 1 : 0;
  }
  for (const auto& [ds, tl] : o.store().datasources())
    m.segments_by_datasource[ds] = tl->segments.size();
  return m;
}

/// OverlordCompactionScheduler.SCHEDULE_PERIOD_SECONDS.
constexpr sim::time_ms schedule_period_ms = 5'000;

/// What a duty run reads, from this overlord's model.
sim::druid::duty_view duty_view_of(self_ptr self) {
  const auto& m = *self->state.model;
  return {m.store().snapshot(), m.active_compaction_tasks(), m.locks(now(self)), m.total_capacity()};
}

/// OverlordCompactionScheduler#scheduledRun: one CompactSegments run over
/// the active supervisors, its tasks submitted here at once (LocalOverlordClient).
void run_scheduler(self_ptr self) {
  auto t = now(self);
  auto result = self->state.supervisors->run(duty_view_of(self), self->state.cluster_settings, t);
  for (const auto& id : result.cancellations)
    self->state.model->shutdown(id, t);
  for (const auto& spec : result.submissions)
    self->state.model->submit(spec, t);
  step(self);
}

std::chrono::milliseconds period(const sim::druid_workload_config& w) {
  return std::chrono::milliseconds{static_cast<std::int64_t>(60'000.0 / w.segments_per_minute)};
}

} // namespace

druid_overlord_actor::behavior_type druid_overlord_node(self_ptr self, std::shared_ptr<sim::druid::overlord> model,
                                                        std::shared_ptr<sim::druid::compaction_supervisors> supervisors,
                                                        sim::druid_cluster_config config,
                                                        std::vector<druid_worker_actor> workers, sim_clock clock,
                                                        network net) {
  auto& st = self->state;
  st.net = std::move(net);
  st.model = std::move(model);
  st.supervisors = std::move(supervisors);
  st.workers = std::move(workers);
  st.clock = clock;
  for (const auto& d : config.datasources)
    st.schemas.emplace(d.name, sim::druid::schema_of(d));
  for (const auto& w : config.workloads)
    st.workloads.push_back(w);
  // A worker that goes away takes its tasks down (Druid notices through the
  // worker's disappearance; here, through the actor's down message).
  for (const auto& w : st.workers)
    self->monitor(w);
  self->set_down_handler([=](caf::down_msg& down) {
    auto& workers = self->state.workers;
    for (std::size_t w = 0; w < workers.size(); ++w)
      if (workers[w] && workers[w].address() == down.source) {
        self->state.model->worker_lost(static_cast<int>(w), now(self), worker_gone);
        step(self);
      }
  });
  // The scheduler starts with the overlord and runs every 5 s
  // (scheduleOnExecutor: each run schedules the next one).
  if (st.supervisors->scheduler_running())
    self->delayed_send(self, st.clock.delay(std::chrono::milliseconds{schedule_period_ms}), schedule_atom::value,
                       st.schedule_generation);
  for (std::uint64_t i = 0; i < st.workloads.size(); ++i)
    if (st.workloads[i].segments_per_minute > 0)
      self->delayed_send(self, st.clock.delay(period(st.workloads[i])), ingest_atom::value, i);
  // Every request steps the queue after it, reads included: the model has
  // no management loop of its own (Druid's TaskQueue#manage also wakes on a
  // timer), so a task that waits for a streaming lock to lapse moves on at
  // the next event, and any request is one.
  auto stepped = [self](auto answer) {
    step(self);
    return answer;
  };
  return {
    [=](duty_view_atom) { return duty_view_of(self); },
    [=](timelines_atom) { return stepped(sim::druid::view_of(*self->state.model, now(self))); },
    [=](tasks_atom, bool active_only) { return stepped(sim::druid::board_of(*self->state.model, now(self), active_only)); },
    [=](task_atom, const std::string& id) {
      sim::druid::task_lookup out;
      const auto& m = *self->state.model;
      if (const auto* t = m.find(id)) {
        out.found = true;
        out.row = sim::druid::row_of(*t, m.workers());
        out.payload = t->payload;
      }
      return stepped(std::move(out));
    },
    [=](submit_atom, const boost::json::value& spec) {
      auto result = self->state.model->submit(spec, now(self));
      sim::druid::submission out;
      if (auto* e = std::get_if<sim::druid::error>(&result))
        out.failure = std::move(*e);
      else
        out.id = std::get<std::string>(std::move(result));
      return stepped(std::move(out));
    },
    [=](shutdown_atom, const std::string& id) {
      self->state.model->shutdown(id, now(self));
      return stepped(true);
    },
    [=](locks_atom) { return stepped(self->state.model->locks(now(self))); },
    [=](stats_atom) { return stepped(overlord_metrics(*self->state.model)); },
    [=](orders_atom, const sim::druid::duty_orders& orders) {
      auto t = now(self);
      for (const auto& id : orders.cancellations)
        self->state.model->shutdown(id, t);
      for (const auto& spec : orders.submissions)
        self->state.model->submit(spec, t);
      step(self);
    },
    [=](stream_atom, const sim::druid::stream_batch& b) {
      auto t = now(self);
      const auto& schema = schema_for(self->state, b.data_source);
      for (int i = 0; i < b.segments; ++i)
        self->state.model->ingest(b.data_source, sim::druid::bucket(sim::druid::granularity::hour, t), b.rows, b.bytes,
                                  schema, t);
      step(self);
    },
    [=](failure_atom, double p) {
      self->state.model->task_failure_probability() = p;
      step(self);
    },
    [=](skew_atom, sim::time_ms skew) {
      self->state.model->clock_skew() = skew;
      step(self);
    },
    [=](task_done_atom, const std::string& id) {
      self->state.model->finish(id, now(self));
      step(self);
    },
    [=](deferred_atom, const deferred_fn& fn) { fn(); },
    [=](worker_atom, std::int32_t w, druid_worker_actor worker) {
      auto& workers = self->state.workers;
      if (w < 0 || static_cast<std::size_t>(w) >= workers.size())
        return;
      workers[static_cast<std::size_t>(w)] = worker;
      self->monitor(worker);
      self->state.model->worker_back(w);
      step(self);
    },
    [=](supervise_atom, sim::druid::compaction_supervisor_spec& spec) {
      return stepped(self->state.supervisors->put(std::move(spec), now(self)));
    },
    [=](board_atom) { return stepped(self->state.supervisors->board(now(self))); },
    [=](sup_cmd_atom, const sim::druid::supervisor_command& c) {
      return stepped(self->state.supervisors->apply(c, now(self)));
    },
    [=](sup_history_atom, const std::string& id) { return stepped(self->state.supervisors->history(id)); },
    [=](simulate_atom, const sim::druid::cluster_update& u) {
      // OverlordCompactionScheduler#simulateRunWithConfigUpdate.
      return stepped(self->state.supervisors->simulate(duty_view_of(self), self->state.cluster_settings, u, now(self)));
    },
    [=](settings_atom, sim::druid::cluster_compaction_config& c) { self->state.cluster_settings = std::move(c); },
    [=](schedule_atom, std::uint64_t generation) {
      auto& s = self->state;
      if (generation != s.schedule_generation)
        return;
      run_scheduler(self);
      self->delayed_send(self, s.clock.delay(std::chrono::milliseconds{schedule_period_ms}), schedule_atom::value,
                         s.schedule_generation);
    },
    [=](ingest_atom, std::uint64_t i) {
      const auto& w = self->state.workloads.at(i);
      auto t = now(self);
      self->state.model->ingest(w.datasource, sim::druid::bucket(w.granularity, t), w.rows_per_segment,
                                w.bytes_per_segment, schema_for(self->state, w.datasource), t);
      step(self);
      self->delayed_send(self, self->state.clock.delay(period(w)), ingest_atom::value, i);
    },
  };
}

} // namespace compactsim::actors
