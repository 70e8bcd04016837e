#include "actors/virtual_time.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/detail/test_actor_clock.hpp>

namespace compactsim::actors {

namespace {

/// Reads the clock's pending-timer map: a pointer to the protected member,
/// formed in a derived class, applies to any simple_actor_clock.
struct schedule_access : caf::detail::test_actor_clock {
  static auto map() { return &schedule_access::schedule_; }
};

} // namespace

virtual_time::virtual_time(caf::actor_system& sys, std::uint64_t stall_bound)
  : sched_(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())), stall_bound_(stall_bound) {}

std::uint64_t virtual_time::run_ready() {
  const auto now = sched_.clock().now();
  if (now != instant_) {
    instant_ = now;
    at_instant_ = 0;
  }
  const auto budget = stall_bound_ > at_instant_ ? stall_bound_ - at_instant_ : 0;
  const auto n = static_cast<std::uint64_t>(sched_.run(static_cast<std::size_t>(budget)));
  at_instant_ += n;
  total_ += n;
  if (max_events_ > 0 && total_ > max_events_)
    throw work_bound_exceeded("the run's work bound of " + std::to_string(max_events_) +
                              " events was exceeded (raise it with --max-events)");
  if (at_instant_ >= stall_bound_ && sched_.has_job())
    throw stalled_time("simulated time stopped advancing: " + std::to_string(at_instant_) +
                       " events at one instant (a zero interval, or actors messaging each other without end)");
  return n;
}

std::uint64_t virtual_time::drain() {
  return run_ready();
}

caf::actor_clock::time_point virtual_time::now() const {
  return sched_.clock().now();
}

std::uint64_t virtual_time::run_for(std::chrono::milliseconds d) {
  auto& clock = sched_.clock();
  auto horizon = clock.now() + d;
  std::uint64_t events = run_ready();
  while (clock.has_pending_timeout()) {
    const auto& pending = clock.*schedule_access::map();
    if (pending.begin()->first > horizon)
      break;
    if (pending.begin()->first == instant_ && ++at_instant_ >= stall_bound_)
      throw stalled_time("simulated time stopped advancing: " + std::to_string(at_instant_) +
                         " events at one instant (a timer with a zero interval?)");
    clock.trigger_timeout();
    events += 1 + run_ready();
  }
  if (clock.current_time < horizon)
    clock.current_time = horizon;
  return events;
}

void use_test_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
}

} // namespace compactsim::actors
