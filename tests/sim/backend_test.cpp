//! sim/backend: one backend's storage engine (manual runs, the producer and
//! its per-disk slots, loads near max_tablet_version_num, crashes), checked
//! against shared/reference/doris.md §1.3, §2.7 and §2.9.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "tests/sim/print.hpp"
#include "sim/doris/backend.hpp"
#include "tests/sim/backend_fixture.hpp"

namespace sim = compactsim::sim;

namespace {

using namespace compactsim::test::backend;

using replica_state = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::vector<std::int64_t>, std::size_t,
                                 std::uint32_t, std::uint32_t>;

/// What a replica looks like to the outside: id, point, duplicates, versions
/// and rows of its rowsets, stale count and scores.
std::vector<replica_state> snapshot(const sim::backend_model& be) {
  std::vector<replica_state> out;
  for (const auto& r : be.replicas()) {
    std::vector<std::int64_t> shape;
    for (const auto& rs : r.rowsets) {
      shape.push_back(rs.start);
      shape.push_back(rs.end);
      shape.push_back(rs.rows - rs.deleted);
      shape.push_back(rs.id);
    }
    out.emplace_back(r.tablet_id, r.cumulative_point, r.duplicates, shape, r.stale.size(), r.cumu_score,
                     r.base_score);
  }
  return out;
}

/// A fixed run: loads every second, the producer every 100 ms, tasks
/// finished when due, one full compaction of the MoW table midway.
std::vector<replica_state> scripted_run(std::uint64_t seed) {
  auto be = make_backend({}, seed, 2);
  for (std::int64_t t = 20000; t < 20008; ++t)
    be.add_replica(t, t % 2 == 0 ? mow_table : dup_table, t0);
  std::int64_t version = 2;
  std::vector<sim::started_task> due;
  for (sim::time_ms now = t0; now < t0 + 60'000; now += 100) {
    if ((now - t0) % 1000 == 0) {
      std::vector<sim::started_task> forced;
      if (be.prepare_load(mow_table, now, forced).ok() && be.prepare_load(dup_table, now, forced).ok()) {
        be.commit_load(mow_table, spec(version, 0.3), now);
        be.commit_load(dup_table, spec(version), now);
        ++version;
      }
      due.insert(due.end(), forced.begin(), forced.end());
    }
    if (now == t0 + 30'000) {
      std::int64_t n = 0;
      be.corrupt_delete_bitmap(mow_table, 25, n);
      be.run_table_full(mow_table, now, due);
    }
    auto round = be.produce(now);
    due.insert(due.end(), round.started.begin(), round.started.end());
    for (std::size_t i = 0; i < due.size();) {
      if (due[i].finish_at <= now) {
        auto id = due[i].id;
        due.erase(due.begin() + static_cast<std::ptrdiff_t>(i));
        std::vector<sim::started_task> next;
        be.finish(id, now, false, next);
        due.insert(due.end(), next.begin(), next.end());
      } else {
        ++i;
      }
    }
  }
  return snapshot(be);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_backend)

// -- manual runs ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(run_on_unknown_tablet_is_not_found) {
  auto be = make_backend();
  sim::started_task out;
  auto st = be.run_compaction(99999, sim::compaction_type::cumulative, t0, out);
  BOOST_TEST(st.code == sim::errc::not_found);
  BOOST_TEST(st.msg == "Tablet not found. tablet_id=99999");
  BOOST_TEST(sim::code_name(st.code) == "NOT_FOUND");
  BOOST_TEST(be.tasks().empty());
}

BOOST_AUTO_TEST_CASE(run_with_nothing_to_compact_returns_doris_codes) {
  auto be = make_backend();
  be.add_replica(10015, mow_table, t0);
  sim::started_task out;
  auto cumu = be.run_compaction(10015, sim::compaction_type::cumulative, t0 + 1, out);
  BOOST_TEST(static_cast<int>(cumu.code) == -2000);
  // Only [0-1]: CumulativeCompaction::pick_rowsets_to_compact finds no candidate.
  BOOST_TEST(cumu.msg == "candidate_rowsets is empty");
  BOOST_TEST(sim::code_name(cumu.code) == "E-2000");
  auto base = be.run_compaction(10015, sim::compaction_type::base, t0 + 2, out);
  BOOST_TEST(sim::code_name(base.code) == "E-808");
  auto full = be.run_compaction(10015, sim::compaction_type::full, t0 + 3, out);
  BOOST_TEST(sim::code_name(full.code) == "E-2008");
  BOOST_TEST(be.tasks().empty());
  // The failure is remembered for /api/compaction/show.
  const auto* r = be.find(10015);
  BOOST_TEST_REQUIRE(r != nullptr);
  BOOST_TEST(sim::status_string(r->last_status[sim::index(sim::compaction_type::cumulative)]) ==
             "[E-2000]_input_rowsets is empty");
  BOOST_TEST(r->last_failure[sim::index(sim::compaction_type::cumulative)] == t0 + 1);
  BOOST_TEST(r->last_schedule[sim::index(sim::compaction_type::full)] == t0 + 3);
}

BOOST_AUTO_TEST_CASE(manual_run_starts_outside_the_slots_and_finish_publishes) {
  auto be = make_backend();
  be.add_replica(10015, mow_table, t0);
  loads(be, mow_table, 2, 6, t0);
  sim::started_task out;
  auto st = be.run_compaction(10015, sim::compaction_type::cumulative, t0 + 1000, out);
  BOOST_TEST_REQUIRE(st.ok());
  const auto* task = be.task(out.id);
  BOOST_TEST_REQUIRE(task != nullptr);
  BOOST_TEST(task->manual);
  BOOST_TEST(task->pick.start == 2);
  BOOST_TEST(task->pick.end == 6);
  BOOST_TEST(out.finish_at == t0 + 1000 + sim::compaction_duration_ms(task->pick.input_bytes, be.knobs()));
  BOOST_TEST(be.executing(0) == 0); // manual runs are not in the registry
  BOOST_TEST(be.find(10015)->is_running(sim::compaction_type::cumulative));

  // A second cumulative run on the same tablet: the lock is held.
  sim::started_task again;
  auto busy = be.run_compaction(10015, sim::compaction_type::cumulative, t0 + 1100, again);
  BOOST_TEST(static_cast<int>(busy.code) == -216);
  BOOST_TEST(busy.msg == "The tablet is under cumulative compaction. tablet=10015");

  // Nothing changes until finish.
  BOOST_TEST(be.find(10015)->rowsets.size() == 6u);
  std::vector<sim::started_task> next;
  auto outcome = be.finish(out.id, out.finish_at, false, next);
  BOOST_TEST_REQUIRE(outcome.st.ok());
  const auto* r = be.find(10015);
  BOOST_TEST_REQUIRE(r->rowsets.size() == 2u);
  BOOST_TEST(r->rowsets[1].start == 2);
  BOOST_TEST(r->rowsets[1].end == 6);
  BOOST_TEST(r->running == 0);
  BOOST_TEST(r->last_success[sim::index(sim::compaction_type::cumulative)] == out.finish_at);
  BOOST_TEST(be.task(out.id) == nullptr);
  BOOST_TEST(next.empty());
}

BOOST_AUTO_TEST_CASE(failed_task_publishes_nothing) {
  auto be = make_backend();
  be.add_replica(10015, mow_table, t0);
  loads(be, mow_table, 2, 6, t0);
  sim::started_task out;
  BOOST_TEST_REQUIRE(be.run_compaction(10015, sim::compaction_type::cumulative, t0, out).ok());
  std::vector<sim::started_task> next;
  auto outcome = be.finish(out.id, out.finish_at, true, next);
  BOOST_TEST(outcome.st.code == sim::errc::internal_error);
  const auto* r = be.find(10015);
  BOOST_TEST(r->rowsets.size() == 6u);
  BOOST_TEST(r->stale.empty());
  BOOST_TEST(r->running == 0);
  BOOST_TEST(r->last_failure[sim::index(sim::compaction_type::cumulative)] == out.finish_at);
  // Finishing it twice is an error, not a second publish.
  BOOST_TEST(be.finish(out.id, out.finish_at, false, next).st.code == sim::errc::not_found);
}

// -- producer -------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(producer_does_nothing_with_disable_auto_compaction) {
  sim::doris_knobs k;
  k.disable_auto_compaction = true;
  auto be = make_backend(k);
  for (std::int64_t t = 1; t <= 4; ++t)
    be.add_replica(t, dup_table, t0);
  loads(be, dup_table, 2, 20, t0);
  for (int i = 0; i < 20; ++i) {
    auto round = be.produce(t0 + i * 100);
    BOOST_TEST(round.started.empty());
  }
  BOOST_TEST(be.tasks().empty());
  // Manual runs still work.
  sim::started_task out;
  BOOST_TEST(be.run_compaction(1, sim::compaction_type::cumulative, t0, out).ok());
}

BOOST_AUTO_TEST_CASE(producer_skips_tables_with_auto_compaction_disabled) {
  auto be = make_backend();
  be.add_table({500, "quiet", sim::keys_type::dup_keys, false, /*disable_auto_compaction*/ true, 1});
  be.add_replica(1, 500, t0);
  loads(be, 500, 2, 20, t0);
  for (int i = 0; i < 20; ++i)
    BOOST_TEST(be.produce(t0 + i * 100).started.empty());
}

BOOST_AUTO_TEST_CASE(producer_starts_the_highest_score_tablet) {
  auto be = make_backend();
  be.add_replica(1, dup_table, t0);
  be.add_replica(2, mow_table, t0);
  loads(be, dup_table, 2, 8, t0);  // score 7
  loads(be, mow_table, 2, 12, t0); // score 11
  auto round = be.produce(t0 + 100);
  BOOST_TEST_REQUIRE(round.started.size() == 1u); // one tablet per disk per round
  const auto* task = be.task(round.started[0].id);
  BOOST_TEST(task->tablet_id == 2);
  BOOST_TEST(task->type == sim::compaction_type::cumulative);
  BOOST_TEST(!task->manual);
  BOOST_TEST(be.executing(0) == 1);
}

BOOST_AUTO_TEST_CASE(producer_never_exceeds_slots_per_disk) {
  sim::doris_knobs k;
  k.compaction_task_num_per_disk = 3;
  auto be = make_backend(k);
  for (std::int64_t t = 1; t <= 10; ++t)
    be.add_replica(t, dup_table, t0);
  loads(be, dup_table, 2, 10, t0);
  std::size_t started = 0;
  for (int i = 0; i < 30; ++i) {
    auto round = be.produce(t0 + i * 100);
    started += round.started.size();
    BOOST_TEST(be.executing(0) <= 3);
  }
  BOOST_TEST(started == 3u);
  BOOST_TEST(be.executing(0) == 3);
  // Finishing one frees one slot.
  std::vector<sim::started_task> next;
  be.finish(be.tasks().begin()->first, t0 + 5000, false, next);
  BOOST_TEST(be.executing(0) == 2);
  std::size_t more = 0;
  for (int i = 0; i < 10; ++i)
    more += be.produce(t0 + 5000 + i * 100).started.size();
  BOOST_TEST(more == 1u);
}

BOOST_AUTO_TEST_CASE(last_slot_is_reserved_for_cumulative) {
  sim::doris_knobs k;
  k.compaction_task_num_per_disk = 2;
  k.cumulative_compaction_rounds_for_each_base_compaction_round = 0; // base rounds only
  auto be = make_backend(k);
  // Base candidates: the point sits above seven loaded rowsets.
  for (std::int64_t t = 1; t <= 3; ++t)
    be.add_replica(t, dup_table, t0).cumulative_point = 100;
  loads(be, dup_table, 2, 8, t0);
  // Cumulative candidate on another table.
  be.add_replica(50, mow_table, t0);
  loads(be, mow_table, 2, 8, t0);

  std::size_t base_started = 0;
  for (int i = 0; i < 10; ++i)
    base_started += be.produce(t0 + 1000 + i * 100).started.size();
  BOOST_TEST(base_started == 1u); // the second slot stays free for cumulative
  BOOST_TEST(be.executing(0) == 1);

  be.knobs().cumulative_compaction_rounds_for_each_base_compaction_round = 9;
  auto round = be.produce(t0 + 3000);
  BOOST_TEST_REQUIRE(round.started.size() == 1u);
  BOOST_TEST(be.task(round.started[0].id)->type == sim::compaction_type::cumulative);
  BOOST_TEST(be.executing(0) == 2);
  // All slots busy now.
  for (int i = 0; i < 12; ++i)
    BOOST_TEST(be.produce(t0 + 4000 + i * 100).started.empty());
}

BOOST_AUTO_TEST_CASE(producer_runs_one_base_round_after_nine_cumulative) {
  auto be = make_backend();
  for (std::int64_t t = 1; t <= 3; ++t)
    be.add_replica(t, dup_table, t0).cumulative_point = 100;
  loads(be, dup_table, 2, 8, t0);
  std::vector<int> started_at;
  for (int i = 0; i < 10; ++i)
    if (!be.produce(t0 + 1000 + i * 100).started.empty())
      started_at.push_back(i);
  // Rounds 0..8 are cumulative (nothing to do above point 100); round 9 is base.
  BOOST_TEST_REQUIRE(started_at.size() == 1u);
  BOOST_TEST(started_at[0] == 9);
}

BOOST_AUTO_TEST_CASE(producer_backs_off_after_nothing_suitable) {
  auto be = make_backend();
  be.add_replica(1, dup_table, t0);
  loads(be, dup_table, 2, 4, t0); // cumulative score 3: E-2000
  auto round = be.produce(t0 + 100);
  BOOST_TEST(round.started.empty());
  BOOST_TEST(!round.idle);
  const auto* r = be.find(1);
  BOOST_TEST(static_cast<int>(r->last_status[sim::index(sim::compaction_type::cumulative)]) == -2000);
  BOOST_TEST(r->skip_until == t0 + 100 + be.knobs().skip_tablet_compaction_second * 1000);
  // Skipped while marked: the next round finds nobody.
  BOOST_TEST(be.produce(t0 + 200).idle);
}

// -- table_id full runs and corruption -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(table_full_run_repairs_mow_duplicates) {
  auto be = make_backend();
  be.add_replica(10015, mow_table, t0);
  be.add_replica(11308, mow_table, t0);
  loads(be, mow_table, 2, 2, t0);
  loads(be, mow_table, 3, 10, t0, 0.3);
  std::int64_t corrupted = 0;
  BOOST_TEST_REQUIRE(be.corrupt_delete_bitmap(mow_table, 50, corrupted).ok());
  BOOST_TEST(corrupted == 100);
  BOOST_TEST(be.find(10015)->duplicates == 50);

  std::vector<sim::started_task> started;
  BOOST_TEST_REQUIRE(be.run_table_full(mow_table, t0 + 1000, started).ok());
  BOOST_TEST(started.size() == 2u);
  // FULL tasks run in the base pool; _generate_compaction_tasks counts only
  // the cumulative and base registries, so no disk slot is taken.
  BOOST_TEST(be.executing(0) == 0);
  // A second request while they run.
  std::vector<sim::started_task> again;
  auto st = be.run_table_full(mow_table, t0 + 1100, again);
  BOOST_TEST(st.code == sim::errc::already_exist);
  BOOST_TEST(contains(st.msg, "compaction task has already been submitted, tablet_id="));

  finish_all(be, t0 + 60'000);
  for (auto id : {10015, 11308}) {
    const auto* r = be.find(id);
    BOOST_TEST(r->duplicates == 0);
    BOOST_TEST_REQUIRE(r->rowsets.size() == 1u);
    BOOST_TEST(r->rowsets[0].start == 0);
    BOOST_TEST(r->rowsets[0].end == 10);
  }
}

BOOST_AUTO_TEST_CASE(table_full_run_repairs_nothing_on_non_mow_tables) {
  auto be = make_backend();
  auto& r = be.add_replica(7, mor_table, t0);
  loads(be, mor_table, 2, 2, t0);
  loads(be, mor_table, 3, 8, t0, 0.3);
  // The backend refuses to corrupt a merge-on-read table; force the state.
  std::int64_t corrupted = 0;
  BOOST_TEST(be.corrupt_delete_bitmap(mor_table, 10, corrupted).code == sim::errc::invalid_argument);
  BOOST_TEST(corrupted == 0);
  r.duplicates = 9;
  std::vector<sim::started_task> started;
  BOOST_TEST_REQUIRE(be.run_table_full(mor_table, t0 + 1000, started).ok());
  BOOST_TEST_REQUIRE(started.size() == 1u);
  finish_all(be, t0 + 60'000);
  BOOST_TEST(be.find(7)->rowsets.size() == 1u);
  BOOST_TEST(be.find(7)->duplicates == 9);
}

BOOST_AUTO_TEST_CASE(table_full_run_on_absent_table_is_success) {
  auto be = make_backend();
  std::vector<sim::started_task> started;
  BOOST_TEST(be.run_table_full(424242, t0, started).ok());
  BOOST_TEST(started.empty());
  std::int64_t corrupted = 0;
  BOOST_TEST(be.corrupt_delete_bitmap(424242, 10, corrupted).code == sim::errc::not_found);
}

BOOST_AUTO_TEST_CASE(table_full_run_waits_for_a_running_compaction) {
  auto be = make_backend();
  be.add_replica(10015, mow_table, t0);
  loads(be, mow_table, 2, 8, t0);
  sim::started_task cumu;
  BOOST_TEST_REQUIRE(be.run_compaction(10015, sim::compaction_type::cumulative, t0, cumu).ok());
  loads(be, mow_table, 9, 10, t0 + 5); // published while the cumulative runs
  std::vector<sim::started_task> started;
  BOOST_TEST_REQUIRE(be.run_table_full(mow_table, t0 + 10, started).ok());
  BOOST_TEST(started.empty()); // queued behind the lock
  std::vector<sim::started_task> next;
  BOOST_TEST_REQUIRE(be.finish(cumu.id, cumu.finish_at, false, next).st.ok());
  BOOST_TEST_REQUIRE(next.size() == 1u);
  BOOST_TEST(be.task(next[0].id)->type == sim::compaction_type::full);
}

// -- loads ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(load_over_max_tablet_version_num_is_e235) {
  sim::doris_knobs k;
  k.max_tablet_version_num = 120;
  auto be = make_backend(k);
  be.add_replica(10015, dup_table, t0);
  loads(be, dup_table, 2, 120, t0); // 120 rowsets: at the limit
  std::vector<sim::started_task> forced;
  BOOST_TEST(be.prepare_load(dup_table, t0, forced).ok());
  finish_all(be, t0);
  // Rebuild at 121 rowsets without compaction in between.
  auto over = make_backend(k);
  over.add_replica(10015, dup_table, t0);
  loads(over, dup_table, 2, 121, t0);
  BOOST_TEST_REQUIRE(over.find(10015)->rowsets.size() == 121u);
  std::vector<sim::started_task> forced2;
  auto st = over.prepare_load(dup_table, t0, forced2);
  BOOST_TEST(static_cast<int>(st.code) == -235);
  BOOST_TEST(sim::code_name(st.code) == "E-235");
  BOOST_TEST(contains(st.msg, "failed to init rowset builder. version count: 121, exceed limit: 120, tablet: 10015"));
  BOOST_TEST(over.rejected_loads() == 1u);
  // Even when rejecting, Doris has already triggered a cumulative compaction.
  BOOST_TEST(forced2.size() == 1u);
}

BOOST_AUTO_TEST_CASE(load_near_the_limit_forces_cumulative_compaction) {
  // RowsetBuilder: version count > max_tablet_version_num - 100 forces a cumulative compaction.
  sim::doris_knobs k;
  k.max_tablet_version_num = 110;
  auto be = make_backend(k);
  be.add_table({600, "quiet", sim::keys_type::dup_keys, false, /*disable_auto_compaction*/ true, 1});
  be.add_replica(1, 600, t0);
  loads(be, 600, 2, 10, t0); // 10 rowsets: not over 10
  std::vector<sim::started_task> forced;
  BOOST_TEST(be.prepare_load(600, t0, forced).ok());
  BOOST_TEST(forced.empty());
  loads(be, 600, 11, 11, t0); // 11 > 10
  BOOST_TEST(be.prepare_load(600, t0 + 1, forced).ok());
  BOOST_TEST_REQUIRE(forced.size() == 1u);
  const auto* task = be.task(forced[0].id);
  BOOST_TEST(task->type == sim::compaction_type::cumulative);
  BOOST_TEST(task->tablet_id == 1);
  // No second forced task while the first holds the lock.
  std::vector<sim::started_task> more;
  BOOST_TEST(be.prepare_load(600, t0 + 2, more).ok());
  BOOST_TEST(more.empty());
}

BOOST_AUTO_TEST_CASE(commit_load_reaches_every_replica_of_the_table_only) {
  auto be = make_backend();
  be.add_replica(1, mow_table, t0);
  be.add_replica(2, mow_table, t0);
  be.add_replica(3, dup_table, t0);
  loads(be, mow_table, 2, 4, t0);
  BOOST_TEST(be.find(1)->rowsets.size() == 4u);
  BOOST_TEST(be.find(2)->rowsets.size() == 4u);
  BOOST_TEST(be.find(3)->rowsets.size() == 1u);
  BOOST_TEST(sim::max_version(*be.find(2)) == 4);
  // add_replica twice keeps the first.
  be.add_replica(1, mow_table, t0);
  BOOST_TEST(be.replicas().size() == 3u);
  BOOST_TEST(be.find(1)->rowsets.size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_duplicate_publish_is_ignored) {
  auto be = make_backend();
  be.add_replica(1, dup_table, t0);
  loads(be, dup_table, 2, 3, t0);
  auto rows = sim::visible_rows(*be.find(1));
  be.commit_load(dup_table, spec(3), t0 + 1);
  be.commit_load(dup_table, spec(2), t0 + 1);
  BOOST_TEST(be.find(1)->rowsets.size() == 3u);
  BOOST_TEST(sim::max_version(*be.find(1)) == 3);
  BOOST_TEST(sim::visible_rows(*be.find(1)) == rows);
  BOOST_TEST(be.held_publishes() == 0u);
}

BOOST_AUTO_TEST_CASE(a_version_ahead_of_its_predecessor_waits_for_it) {
  auto be = make_backend();
  be.add_replica(1, dup_table, t0);
  be.add_replica(2, dup_table, t0);
  // 4 and 3 arrive before 2 (late messages): nothing is published yet.
  be.commit_load(dup_table, spec(4), t0);
  be.commit_load(dup_table, spec(3), t0);
  BOOST_TEST(sim::max_version(*be.find(1)) == 1);
  BOOST_TEST(be.held_publishes() == 2u);
  BOOST_TEST(sim::versions_contiguous(*be.find(1)));
  // A duplicate of a held version changes nothing.
  be.commit_load(dup_table, spec(4), t0);
  BOOST_TEST(be.held_publishes() == 2u);
  // 2 arrives: 2, 3 and 4 publish in order.
  be.commit_load(dup_table, spec(2), t0 + 5);
  BOOST_TEST(be.held_publishes() == 0u);
  for (std::int64_t tablet : {1, 2}) {
    const auto& r = *be.find(tablet);
    BOOST_TEST(sim::max_version(r) == 4);
    BOOST_TEST(sim::versions_contiguous(r));
    BOOST_TEST(r.rowsets.size() == 4u);
  }
}

// -- crashes and determinism ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(abort_all_tasks_drops_in_flight_work) {
  auto be = make_backend();
  for (std::int64_t t = 1; t <= 3; ++t)
    be.add_replica(t, dup_table, t0);
  loads(be, dup_table, 2, 10, t0);
  auto before = snapshot(be);
  sim::started_task manual;
  BOOST_TEST_REQUIRE(be.run_compaction(1, sim::compaction_type::cumulative, t0, manual).ok());
  auto round = be.produce(t0 + 100);
  BOOST_TEST_REQUIRE(round.started.size() == 1u);
  BOOST_TEST(be.tasks().size() == 2u);

  be.abort_all_tasks();
  BOOST_TEST(be.tasks().empty());
  BOOST_TEST(be.executing(0) == 0);
  for (const auto& r : be.replicas())
    BOOST_TEST(r.running == 0);
  std::vector<sim::started_task> next;
  BOOST_TEST(be.finish(manual.id, manual.finish_at, false, next).st.code == sim::errc::not_found);
  BOOST_TEST(be.finish(round.started[0].id, round.started[0].finish_at, false, next).st.code ==
             sim::errc::not_found);
  // Nothing was published.
  auto after = snapshot(be);
  BOOST_TEST_REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i)
    BOOST_TEST((std::get<3>(after[i]) == std::get<3>(before[i])));
  // The tablets can compact again.
  BOOST_TEST(be.run_compaction(1, sim::compaction_type::cumulative, t0 + 200, manual).ok());
}

BOOST_AUTO_TEST_CASE(same_seed_same_replica_states) {
  auto a = scripted_run(7);
  auto b = scripted_run(7);
  BOOST_TEST_REQUIRE(a.size() == 8u);
  BOOST_TEST((a == b));
  // The run did compact: some replica holds fewer rowsets than versions.
  bool compacted = false;
  for (const auto& s : a)
    compacted = compacted || std::get<3>(s).size() / 4 < 40;
  BOOST_TEST(compacted);
  // MoW replicas were repaired by the full run.
  for (const auto& s : a)
    BOOST_TEST(std::get<2>(s) == 0);
}

BOOST_AUTO_TEST_CASE(uid_depends_on_the_seed_only) {
  auto a = make_backend({}, 1);
  auto b = make_backend({}, 1);
  auto c = make_backend({}, 2);
  BOOST_TEST((a.uid() == b.uid()));
  BOOST_TEST((a.uid() != c.uid()));
}

BOOST_AUTO_TEST_SUITE_END()
