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

virtual_time::virtual_time(caf::actor_system& sys)
  : sched_(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {}

std::uint64_t virtual_time::drain() {
  return sched_.run();
}

caf::actor_clock::time_point virtual_time::now() const {
  return sched_.clock().now();
}

std::uint64_t virtual_time::run_for(std::chrono::milliseconds d) {
  auto& clock = sched_.clock();
  auto horizon = clock.now() + d;
  std::uint64_t events = sched_.run();
  while (clock.has_pending_timeout()) {
    const auto& pending = clock.*schedule_access::map();
    if (pending.begin()->first > horizon)
      break;
    clock.trigger_timeout();
    events += 1 + sched_.run();
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
