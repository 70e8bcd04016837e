//! Network faults, pause and clock skew through the one fault injector, on
//! the test coordinator: what each does to the cluster's real traffic
//! (loads, publishes, HTTP reads), and that the cluster heals from it.

#include <boost/test/unit_test.hpp>

#include <boost/json/parse.hpp>

#include "actors/fault_injector.hpp"
#include "config/fault_reader.hpp"
#include "sim/core/fault_spec.hpp"
#include "tests/actors/fixture.hpp"

using namespace compactsim;
using namespace std::chrono_literals;
using test::cluster_fixture;

namespace {

sim::fault_spec fault(const std::string& text) {
  sim::fault_spec f;
  std::string error;
  if (!config::parse_fault(boost::json::parse(text), "$", f, error))
    throw std::runtime_error(error);
  if (f.id.empty())
    f.id = sim::to_string(f.kind());
  return f;
}

sim::time_ms now(cluster_fixture& f) { return f.cluster->clock.now(f.sys->clock()); }

/// Loads published and rejected so far, by the coordinator's count.
std::pair<std::uint64_t, std::uint64_t> load_counts(cluster_fixture& f) {
  caf::scoped_actor self{*f.sys};
  auto rh = self->request(f.cluster->fe_coordinator, caf::infinite, actors::stats_atom::value);
  f.time->drain();
  std::pair<std::uint64_t, std::uint64_t> out;
  rh.receive([&](std::uint64_t published, std::uint64_t rejected) { out = {published, rejected}; },
             [](caf::error&) { BOOST_FAIL("stats failed"); });
  return out;
}

/// Every replica's versions are contiguous and no publish waits; returns the
/// highest version per tablet, checking that every replica of it has it.
void check_replicas_converged(cluster_fixture& f) {
  std::map<std::int64_t, std::int64_t> version;
  for (std::size_t i = 0; i < f.cluster->backend_models.size(); ++i) {
    const auto& m = *f.cluster->backend_models[i];
    BOOST_TEST(m.held_publishes() == 0u);
    for (const auto& r : m.replicas()) {
      BOOST_TEST(sim::versions_contiguous(r));
      auto [it, fresh] = version.emplace(r.tablet_id, sim::max_version(r));
      BOOST_TEST(it->second == sim::max_version(r), "tablet " << r.tablet_id << " on be:" << i);
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(actors_network_faults)

BOOST_AUTO_TEST_CASE(a_paused_backend_answers_nothing_until_resumed) {
  cluster_fixture f;
  actors::fault_injector inj(*f.sys, *f.cluster, 1);
  inj.inject(fault(R"({"id": "stop", "kind": "pause", "target": "be:0"})"), now(f));
  f.time->drain();
  auto before = load_counts(f);
  // The caller gives up after its timeout (the service's 5 s), as a client
  // of a stopped process does.
  std::optional<actors::reply<sim::tablet_snapshot>> answer;
  f.doris->show(0, 10015, [&](actors::reply<sim::tablet_snapshot> r) { answer = std::move(r); });
  f.time->run_for(2min);
  BOOST_TEST_REQUIRE(answer.has_value());
  BOOST_TEST(!answer->ok());
  // be:0 holds replicas of every table: no load can prepare while it sleeps.
  auto during = load_counts(f);
  BOOST_TEST(during.first == before.first);
  BOOST_TEST(during.second > before.second);
  BOOST_TEST(inj.heal("stop"));
  f.time->drain();
  // Resumed, it works through what queued meanwhile and answers again.
  auto again = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(0, 10015, cb); });
  BOOST_TEST(again.ok());
  f.time->run_for(2min);
  BOOST_TEST(load_counts(f).first > during.first);
  check_replicas_converged(f);
}

BOOST_AUTO_TEST_CASE(a_one_way_partition_loses_prepares_in_its_direction_only) {
  for (auto groups : {R"([["fe"], ["be:1"]])", R"([["be:1"], ["fe"]])"}) {
    cluster_fixture f;
    actors::fault_injector inj(*f.sys, *f.cluster, 1);
    auto before = load_counts(f);
    inj.inject(fault(std::string{R"({"id": "cut", "kind": "partition", "one_way": true, "groups": )"} + groups + "}"),
               now(f));
    f.time->run_for(3min);
    auto during = load_counts(f);
    // Either way, be:1's tables see no answer to their prepares.
    BOOST_TEST(during.second > before.second, groups);
    BOOST_TEST(f.cluster->net.decide("fe", "be:1").drop == (groups[3] == 'f'));
    BOOST_TEST(f.cluster->net.decide("be:1", "fe").drop == (groups[3] == 'b'));
    BOOST_TEST(!f.cluster->net.decide("fe", "be:0").drop);
    inj.heal("cut");
    BOOST_TEST(f.cluster->net.quiet());
    f.time->run_for(2min);
    BOOST_TEST(load_counts(f).first > during.first);
    check_replicas_converged(f);
  }
}

BOOST_AUTO_TEST_CASE(lost_late_and_doubled_publishes_leave_no_holes) {
  cluster_fixture f;
  actors::fault_injector inj(*f.sys, *f.cluster, 9);
  auto t = now(f);
  inj.inject(fault(R"({"id": "late", "kind": "delay", "target": "be:all", "delay": "3s", "jitter": "2900ms"})"), t);
  inj.inject(fault(R"({"id": "lossy", "kind": "drop", "target": "be:all", "probability": 0.05})"), t);
  inj.inject(fault(R"({"id": "echo", "kind": "duplicate", "target": "be:all", "probability": 0.2})"), t);
  // Late versions wait for their predecessors: never a hole, even mid-fault.
  std::size_t most_held = 0;
  bool contiguous = true;
  for (int i = 0; i < 120; ++i) {
    f.time->run_for(5s);
    std::size_t held = 0;
    for (const auto& m : f.cluster->backend_models) {
      held += m->held_publishes();
      for (const auto& r : m->replicas())
        contiguous &= sim::versions_contiguous(r);
    }
    most_held = std::max(most_held, held);
  }
  BOOST_TEST(contiguous);
  BOOST_TEST(most_held > 0u); // the faults did reorder publishes
  auto during = load_counts(f);
  BOOST_TEST(during.first > 100u); // loads still get through
  BOOST_TEST(inj.heal_all().size() == 3u);
  // Lost publishes are retried (every 15 s at most): all replicas catch up.
  f.time->run_for(1min);
  check_replicas_converged(f);
}

// A skewed host clock changes the times the BE prints, not when it works
// (issue 14: healing a +30m skew stalled the producer for 30 minutes).
BOOST_AUTO_TEST_CASE(clock_skew_moves_one_backends_printed_time_only) {
  cluster_fixture f;
  actors::fault_injector inj(*f.sys, *f.cluster, 1);
  inj.inject(fault(R"({"id": "ahead", "kind": "clock_skew", "target": "be:0", "skew": "+1h"})"), now(f));
  f.time->drain();
  auto t = now(f);
  for (int be : {0, 1}) {
    auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(be, 10015, sim::compaction_type::cumulative, cb); });
    BOOST_REQUIRE(r.ok());
  }
  f.time->run_for(1min);
  auto snap = [&](int be) { return *f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(be, 10015, cb); }).value; };
  auto last = [&](int be) { return snap(be).data.last_success[sim::index(sim::compaction_type::cumulative)]; };
  // Both work in simulated time; be:0 prints its clock, an hour ahead.
  for (int be : {0, 1}) {
    BOOST_TEST(last(be) >= t);
    BOOST_TEST(last(be) < t + 60'000);
  }
  BOOST_TEST(snap(0).clock_skew == 3'600'000);
  BOOST_TEST(snap(1).clock_skew == 0);
  inj.heal("ahead");
  f.time->drain();
  BOOST_TEST(f.cluster->backend_models[0]->faults().clock_skew == 0);
  // After the heal the BE compacts at once: nothing it stamped is in its future.
  auto before = last(0);
  f.time->run_for(1s);
  auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 10015, sim::compaction_type::full, cb); });
  BOOST_REQUIRE(r.ok());
  f.time->run_for(1min);
  BOOST_TEST(snap(0).data.last_success[sim::index(sim::compaction_type::full)] > before);
}

// Issue 14: a slow_disk healed while its BE is crashed (the heal reaches no
// actor) must not come back with the restarted BE.
BOOST_AUTO_TEST_CASE(a_fault_healed_while_its_backend_is_down_stays_healed) {
  cluster_fixture f;
  actors::fault_injector inj(*f.sys, *f.cluster, 1);
  inj.inject(fault(R"({"id": "slow", "kind": "slow_disk", "target": "be:1", "factor": 50})"), now(f));
  inj.inject(fault(R"({"id": "fail", "kind": "compaction_failure", "target": "be:1", "probability": 1})"), now(f));
  f.time->drain();
  BOOST_TEST(f.cluster->backend_models[1]->faults().slowdown == 50.0);
  inj.inject(fault(R"({"id": "down", "kind": "crash", "target": "be:1"})"), now(f));
  f.time->drain();
  inj.heal("slow");
  f.time->drain();
  inj.heal("down");
  f.time->drain();
  // slow_disk is gone; compaction_failure, still active, is back.
  BOOST_TEST(f.cluster->backend_models[1]->faults().slowdown == 1.0);
  BOOST_TEST(f.cluster->backend_models[1]->faults().failure_probability == 1.0);
  inj.heal("fail");
  f.time->drain();
  BOOST_TEST(f.cluster->backend_models[1]->faults().failure_probability == 0.0);
}

BOOST_AUTO_TEST_CASE(nested_pauses_resume_with_the_last_heal) {
  cluster_fixture f;
  actors::fault_injector inj(*f.sys, *f.cluster, 1);
  inj.inject(fault(R"({"id": "a", "kind": "pause", "target": "be:2"})"), now(f));
  inj.inject(fault(R"({"id": "b", "kind": "pause", "target": "be:2"})"), now(f));
  auto answers = [&] {
    std::optional<actors::reply<sim::tablet_snapshot>> answer;
    f.doris->show(2, 10015, [&](actors::reply<sim::tablet_snapshot> r) { answer = std::move(r); });
    f.time->run_for(10s);
    return answer && answer->ok();
  };
  BOOST_TEST(!answers());
  inj.heal("a");
  BOOST_TEST(!answers());
  inj.heal("b");
  BOOST_TEST(answers());
}

BOOST_AUTO_TEST_SUITE_END()
