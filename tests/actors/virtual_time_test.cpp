//! actors/virtual_time: the discrete-event driver fails clearly when
//! simulated time stops advancing, and runs a live loop to its horizon.

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/virtual_time.hpp"

using namespace compactsim;
using namespace std::chrono_literals;

namespace {

using tick = caf::atom_constant<caf::atom("tick")>;

/// Sends itself a tick every `every`: a zero interval never lets time move.
caf::behavior ticker(caf::event_based_actor* self, std::chrono::milliseconds every, std::shared_ptr<int> ticks) {
  self->delayed_send(self, every, tick::value);
  return {[=](tick) {
    ++*ticks;
    self->delayed_send(self, every, tick::value);
  }};
}

/// Sends itself a message at once, forever: no timer at all.
caf::behavior spinner(caf::event_based_actor* self) {
  self->send(self, tick::value);
  return {[=](tick) { self->send(self, tick::value); }};
}

struct system_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  system_fixture() {
    actors::use_test_scheduler(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(actors_virtual_time)

BOOST_AUTO_TEST_CASE(a_one_second_timer_runs_to_the_horizon) {
  system_fixture f;
  actors::virtual_time time{*f.sys, 1'000};
  auto ticks = std::make_shared<int>(0);
  auto a = f.sys->spawn(ticker, std::chrono::milliseconds{1000}, ticks);
  time.run_for(10'000s); // 10,000 events, but never 1,000 at one instant
  BOOST_TEST(*ticks == 10'000);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  time.drain();
}

BOOST_AUTO_TEST_CASE(a_zero_interval_timer_is_reported_as_stalled_time) {
  system_fixture f;
  actors::virtual_time time{*f.sys, 1'000};
  auto ticks = std::make_shared<int>(0);
  auto a = f.sys->spawn(ticker, std::chrono::milliseconds{0}, ticks);
  BOOST_CHECK_EXCEPTION(time.run_for(1s), actors::stalled_time, [](const actors::stalled_time& e) {
    return std::string{e.what()}.find("simulated time stopped advancing") != std::string::npos;
  });
  BOOST_TEST(*ticks < 1'000);
  caf::anon_send_exit(a, caf::exit_reason::kill);
  actors::virtual_time{*f.sys, 1'000}.drain(); // the kill goes first; nothing spins after it
}

BOOST_AUTO_TEST_CASE(actors_messaging_without_end_are_reported_as_stalled_time) {
  system_fixture f;
  actors::virtual_time time{*f.sys, 1'000};
  auto a = f.sys->spawn(spinner);
  BOOST_CHECK_THROW(time.drain(), actors::stalled_time);
  caf::anon_send_exit(a, caf::exit_reason::kill);
  actors::virtual_time{*f.sys, 1'000}.drain();
}

BOOST_AUTO_TEST_SUITE_END()
