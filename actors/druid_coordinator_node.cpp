#include "actors/druid_coordinator_node.hpp"

#include <caf/send.hpp>

namespace compactsim::actors {

namespace {

using self_ptr = druid_coordinator_actor::stateful_pointer<druid_coordinator_state>;

constexpr std::chrono::seconds overlord_timeout{10};

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
  self->request(st.overlord, overlord_timeout, duty_view_atom::value)
    .then(
      [=](sim::druid::duty_view& view) {
        auto now = self->state.clock.now(self->clock());
        auto result = self->state.model->run(view, now);
        if (!result.submissions.empty() || !result.cancellations.empty()) {
          overlord_job job = [specs = std::move(result.submissions), cancel = std::move(result.cancellations)](
                               sim::druid::overlord& o, sim::time_ms t) {
            for (const auto& id : cancel)
              o.shutdown(id, t);
            for (const auto& spec : specs)
              o.submit(spec, t);
          };
          caf::anon_send(self->state.overlord, exec_atom::value, std::move(job));
        }
        finish();
      },
      [=](const caf::error&) { finish(); });
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
                                                              druid_overlord_actor overlord, sim_clock clock) {
  auto& st = self->state;
  st.model = std::move(model);
  st.overlord = std::move(overlord);
  st.clock = clock;
  schedule_run(self, st.clock.now(self->clock()) + st.model->settings().start_delay_ms);
  return {
    [=](exec_atom, const coordinator_job& job) {
      job(*self->state.model, self->state.clock.now(self->clock()));
      return true;
    },
    [=](duty_atom) {
      auto rp = self->make_response_promise<bool>();
      run_duty(self, [rp]() mutable { rp.deliver(true); });
      return rp;
    },
    [=](tick_atom, std::uint64_t generation) {
      if (generation != self->state.tick_generation)
        return;
      // Fixed rate: the next run is scheduled from the start of this one.
      schedule_run(self, self->state.next_run_at + self->state.model->settings().indexing_period_ms);
      run_duty(self, [] {});
    },
    [=](tick_atom) { schedule_run(self, self->state.next_run_at); },
  };
}

} // namespace compactsim::actors
