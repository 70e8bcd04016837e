#include "actors/druid/coordinator_node.hpp"

#include <caf/send.hpp>

namespace compactsim::actors {

namespace {

using self_ptr = druid_coordinator_actor::stateful_pointer<druid_coordinator_state>;

constexpr sim::time_ms overlord_timeout_ms = 10'000;

/// The coordinator host's clock: the cluster's, plus any injected skew.
sim::time_ms host_now(self_ptr self) {
  return self->state.clock.now(self->clock()) + self->state.model->clock_skew();
}

/// One CompactSegments run; `done` fires once it has been handed to the
/// overlord. Runs never overlap (Druid runs the duty on one thread): a run
/// asked for meanwhile waits, and one more run serves everything that waited,
/// after the current one's submissions reached the overlord.
void run_duty(self_ptr self, std::function<void()> done) {
  auto& st = self->state;
  if (st.running) {
    st.queued.push_back(std::move(done));
    return;
  }
  st.running = true;
  auto finish = [self, done] {
    done();
    auto& s = self->state;
    s.running = false;
    if (s.queued.empty())
      return;
    auto waiting = std::move(s.queued);
    s.queued.clear();
    run_duty(self, [waiting] {
      for (const auto& w : waiting)
        w();
    });
  };
  net_request<sim::druid::duty_view>(
    self, st.net, st.clock, "coordinator", "overlord", st.overlord, overlord_timeout_ms, overlord_timeout_ms,
      [=](const sim::druid::duty_view& view) {
        auto result = self->state.model->run(view, host_now(self));
        if (!result.submissions.empty() || !result.cancellations.empty()) {
          sim::druid::duty_orders orders{std::move(result.cancellations), std::move(result.submissions)};
          auto& s = self->state;
          net_send(s.net, s.clock, "coordinator", "overlord", s.overlord, orders_atom::value, std::move(orders));
        }
        finish();
      },
      [=](const caf::error&) { finish(); }, duty_view_atom::value);
}

/// With compaction supervisors, the overlord's scheduler reads the cluster
/// compaction settings from the metadata store (JacksonConfigManager's
/// watch); here the coordinator's store hands them over after every change
/// and every period. Not through the simulated network: the metadata store
/// is not a link between the two.
void share_settings(self_ptr self) {
  auto& st = self->state;
  if (st.model->settings().compaction_supervisors)
    caf::anon_send(st.overlord, settings_atom::value, st.model->configs().current());
}

/// Schedules the next duty run at simulated time `at`.
void schedule_run(self_ptr self, sim::time_ms at) {
  auto& st = self->state;
  st.next_run_at = at;
  auto delay = st.clock.until(st.clock.now(self->clock()), at);
  self->delayed_send(self, delay, tick_atom::value, ++st.tick_generation);
}

} // namespace

druid_coordinator_actor::behavior_type druid_coordinator_node(self_ptr self,
                                                              std::shared_ptr<sim::druid::coordinator> model,
                                                              druid_overlord_actor overlord, sim_clock clock,
                                                              network net) {
  auto& st = self->state;
  st.net = std::move(net);
  st.model = std::move(model);
  st.overlord = std::move(overlord);
  st.clock = clock;
  schedule_run(self, st.clock.now(self->clock()) + st.model->settings().start_delay_ms);
  share_settings(self);
  return {
    // The config store and the status, each a typed request (Druid's
    // CoordinatorCompactionConfigsResource and CompactionResource read and
    // write them the same way).
    [=](config_atom) { return self->state.model->configs().current(); },
    [=](config_put_atom, sim::druid::datasource_config& c, const sim::druid::audit_info& who) {
      return self->state.model->configs().upsert(std::move(c), who, host_now(self));
    },
    [=](config_rm_atom, const std::string& ds, const sim::druid::audit_info& who) {
      return self->state.model->configs().remove(ds, who, host_now(self));
    },
    [=](slots_atom, const sim::druid::cluster_update& u, const sim::druid::audit_info& who) {
      self->state.model->configs().set_cluster(u, who, host_now(self));
      share_settings(self);
      return true;
    },
    [=](history_atom, const sim::druid::history_query& q) {
      return self->state.model->configs().history(q.data_source, q.range, q.count, host_now(self));
    },
    [=](cstatus_atom) { return self->state.model->status(); },
    [=](skew_atom, sim::time_ms skew) { self->state.model->clock_skew() = skew; },
    [=](duty_atom) {
      auto rp = self->make_response_promise<bool>();
      run_duty(self, [rp]() mutable { rp.deliver(true); });
      return rp;
    },
    [=](simulate_atom, const sim::druid::cluster_update& request) {
      // Reads what a duty run reads, from the overlord, and runs nothing:
      // CompactionRunSimulator's ReadOnlyOverlordClient.
      auto rp = self->make_response_promise<sim::druid::simulation>();
      auto& s = self->state;
      net_request<sim::druid::duty_view>(
        self, s.net, s.clock, "coordinator", "overlord", s.overlord, overlord_timeout_ms, overlord_timeout_ms,
        // (Copies: the network calls these as const, and deliver is not.)
        [=](const sim::druid::duty_view& view) {
          auto p = rp;
          p.deliver(self->state.model->simulate(view, host_now(self), request));
        },
        [=](const caf::error& e) {
          auto p = rp;
          p.deliver(e);
        },
        duty_view_atom::value);
      return rp;
    },
    [=](tick_atom, std::uint64_t generation) {
      if (generation != self->state.tick_generation)
        return;
      // Fixed rate: the next run is scheduled from the start of this one.
      schedule_run(self, self->state.next_run_at + self->state.model->settings().indexing_period_ms);
      // DutiesRunnable#shouldSkipAutoCompactDuty: with compaction supervisors
      // on the overlord, the scheduled CompactSegments stands aside (a forced
      // run, POST /compaction/compact, still runs).
      if (self->state.model->settings().compaction_supervisors) {
        share_settings(self);
        return;
      }
      run_duty(self, [] {});
    },
    [=](tick_atom) { schedule_run(self, self->state.next_run_at); },
    [=](deferred_atom, const deferred_fn& fn) { fn(); },
  };
}

} // namespace compactsim::actors
