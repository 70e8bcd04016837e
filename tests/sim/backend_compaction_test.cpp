//! sim/backend: how full compactions share the tablet locks and the base
//! pool, and what a tablet keeps as its last status (Doris 2.1's
//! FullCompaction::prepare_compact, StorageEngine::_submit_compaction_task,
//! Status::to_string).

#include <boost/test/unit_test.hpp>

#include <vector>

#include "sim/core/rng.hpp"
#include "tests/sim/print.hpp"
#include "tests/sim/backend_fixture.hpp"

using namespace compactsim::test::backend;

BOOST_AUTO_TEST_SUITE(sim_backend_compaction)

// FullCompaction::prepare_compact takes the base and cumulative locks with a
// blocking std::unique_lock: a manual full run on a busy tablet waits for the
// running compaction and then starts, where base or cumulative fail with E-216.
BOOST_AUTO_TEST_CASE(a_manual_full_run_waits_for_the_tablet_locks_prepare_compact) {
  auto be = make_backend();
  be.add_replica(10015, dup_table, t0);
  loads(be, dup_table, 2, 12, t0);
  sim::started_task cumu;
  BOOST_TEST_REQUIRE(be.run_compaction(10015, sim::compaction_type::cumulative, t0 + 1, cumu).ok());
  sim::started_task other;
  BOOST_TEST(be.run_compaction(10015, sim::compaction_type::cumulative, t0 + 2, other).code ==
             sim::errc::try_lock_failed);
  sim::started_task full;
  auto st = be.run_compaction(10015, sim::compaction_type::full, t0 + 3, full);
  BOOST_TEST(st.ok());
  BOOST_TEST(full.id == 0u); // queued behind the locks
  BOOST_TEST(be.tasks().size() == 1u);
  loads(be, dup_table, 13, 14, t0 + 4); // so that the full compaction has more than [0-1] + [2-12] to do
  std::vector<sim::started_task> next;
  BOOST_TEST_REQUIRE(be.finish(cumu.id, cumu.finish_at, false, next).st.ok());
  BOOST_TEST_REQUIRE(next.size() == 1u); // the full compaction starts now
  BOOST_TEST(be.task(next[0].id)->type == sim::compaction_type::full);
  BOOST_TEST(be.task(next[0].id)->manual);
  finish_all(be, next[0].finish_at);
  BOOST_TEST(be.find(10015)->rowsets.size() == 1u);
}

// StorageEngine::_submit_compaction_task puts FULL tasks in the base pool
// (max_base_compaction_threads): a table_id run over more tablets than
// threads queues the rest, and automatic cumulative compaction goes on.
BOOST_AUTO_TEST_CASE(table_full_runs_share_the_base_pool_and_leave_disk_slots_submit_compaction_task) {
  auto be = make_backend();
  for (std::int64_t t = 0; t < 6; ++t)
    be.add_replica(20000 + t, dup_table, t0);
  loads(be, dup_table, 2, 12, t0);
  std::vector<sim::started_task> started;
  BOOST_TEST_REQUIRE(be.run_table_full(dup_table, t0 + 1000, started).ok());
  BOOST_TEST(started.size() == 4u); // max_base_compaction_threads
  BOOST_TEST(be.executing(0) == 0);
  std::vector<sim::started_task> next;
  be.finish(started[0].id, started[0].finish_at, false, next);
  BOOST_TEST(next.size() == 1u); // a thread is free: the fifth starts
  finish_all(be, t0 + 3'600'000);
  for (std::int64_t t = 0; t < 6; ++t)
    BOOST_TEST(be.find(20000 + t)->rowsets.size() == 1u);
}

// Status::to_string is what Doris keeps as a tablet's last status: the code
// and the message with the tablet and the numbers, not one text per code.
BOOST_AUTO_TEST_CASE(the_last_status_keeps_the_failures_message_status_to_string) {
  auto be = make_backend();
  be.add_replica(10015, dup_table, t0);
  loads(be, dup_table, 2, 3, t0);
  sim::started_task out;
  auto base = be.run_compaction(10015, sim::compaction_type::base, t0 + 1, out);
  BOOST_TEST(sim::code_name(base.code) == "E-808");
  BOOST_TEST(be.last_status_text(*be.find(10015), sim::compaction_type::base) == "[E-808]" + base.msg);
  BOOST_TEST(be.last_status_text(*be.find(10015), sim::compaction_type::full) == "[OK]"); // never ran
  // A success clears the message.
  auto full = be.run_compaction(10015, sim::compaction_type::full, t0 + 2, out);
  BOOST_REQUIRE(full.ok());
  std::vector<sim::started_task> next;
  BOOST_REQUIRE(be.finish(out.id, out.finish_at, false, next).st.ok());
  BOOST_TEST(be.last_status_text(*be.find(10015), sim::compaction_type::full) == "[OK]");
}

// A load adds to the cumulative sums of the last refresh (append_scores)
// rather than summing every rowset again: under random loads of every size,
// segment count and delete flag, with the producer, manual runs and
// finishes (some failing) in between, the cached scores always equal
// calc_cumulative_score and calc_base_score of the replica as it stands.
BOOST_AUTO_TEST_CASE(incremental_scores_equal_a_full_recount_calc_cumulative_compaction_score) {
  sim::doris_knobs k;
  k.compaction_promotion_min_size_mbytes = 1; // small loads reach the promotion size now and then
  auto be = make_backend(k, 7, 2);
  for (std::int64_t t = 0; t < 12; ++t) {
    be.add_replica(20000 + t, dup_table, t0);
    be.add_replica(30000 + t, mow_table, t0);
  }
  sim::rng pick(99);
  std::int64_t version = 2;
  auto now = t0;
  std::size_t checked = 0;
  for (int step = 0; step < 3000; ++step) {
    now += 1000;
    auto roll = pick.between(0, 99);
    if (roll < 70) {
      sim::load_spec l = spec(version++, 0.1, pick.between(1, 40'000));
      l.segments = static_cast<std::uint32_t>(pick.between(1, 3));
      l.is_delete = pick.between(0, 19) == 0;
      be.commit_load(roll < 35 ? dup_table : mow_table, l, now);
      if (roll >= 35)
        be.commit_load(dup_table, spec(version - 1, 0, 10), now); // keep the two tables' versions in step
    } else if (roll < 85) {
      be.produce(now);
    } else if (roll < 97 && !be.tasks().empty()) {
      std::vector<sim::started_task> next;
      be.finish(be.tasks().begin()->first, now, pick.between(0, 9) == 0, next);
    } else {
      sim::started_task out;
      be.run_compaction(20000 + pick.between(0, 11), sim::compaction_type::cumulative, now, out);
    }
    for (const auto& r : be.replicas()) {
      BOOST_TEST_REQUIRE(r.cumu_score == sim::calc_cumulative_score(r, be.knobs()));
      BOOST_TEST_REQUIRE(r.base_score == sim::calc_base_score(r));
      ++checked;
    }
  }
  BOOST_TEST(checked == 3000u * 24);
}

BOOST_AUTO_TEST_SUITE_END()
