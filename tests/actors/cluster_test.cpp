#include <boost/test/unit_test.hpp>

#include "tests/actors/fixture.hpp"

using namespace compactsim;
using namespace std::chrono_literals;
using test::cluster_fixture;

namespace {

actors::backend_stats stats_of(cluster_fixture& f, std::size_t be) {
  caf::scoped_actor self{*f.sys};
  auto rh = self->request(f.cluster->backends[be], caf::infinite, actors::stats_atom::value);
  f.time->drain();
  actors::backend_stats out;
  rh.receive([&](actors::backend_stats& s) { out = s; }, [](caf::error&) { BOOST_FAIL("stats failed"); });
  return out;
}

std::size_t rowsets_of(cluster_fixture& f, int be, std::int64_t tablet) {
  auto snap = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(be, tablet, cb); });
  BOOST_REQUIRE(snap.ok());
  BOOST_REQUIRE(snap.value->found);
  return snap.value->data.rowsets.size();
}

} // namespace

BOOST_AUTO_TEST_SUITE(actors_cluster)

BOOST_AUTO_TEST_CASE(loads_publish_and_auto_compaction_keeps_versions_bounded) {
  cluster_fixture f;
  f.time->run_for(10min);
  std::uint64_t started = 0, loads = 0;
  for (std::size_t be = 0; be < f.cluster->backends.size(); ++be) {
    auto s = stats_of(f, be);
    started += s.started;
    loads += s.loads;
    BOOST_TEST(s.rejected_loads == 0u);
    BOOST_TEST(s.max_version_count < 100); // compaction keeps up
  }
  BOOST_TEST(loads > 300u);
  BOOST_TEST(started > 10u);
}

BOOST_AUTO_TEST_CASE(manual_cumulative_on_tablet_10015_succeeds_and_merges_rowsets) {
  cluster_fixture f;
  auto before = rowsets_of(f, 0, 10015);
  BOOST_TEST(before == 21u); // [0-1] and 20 initial loads
  auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 10015, sim::compaction_type::cumulative, cb); });
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.value->ok(), r.value->msg);
  BOOST_TEST(rowsets_of(f, 0, 10015) < before);
  // Nothing left to compact: Doris's E-2000.
  auto again = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 10015, sim::compaction_type::cumulative, cb); });
  BOOST_TEST(static_cast<int>(again.value->code) == -2000);
}

BOOST_AUTO_TEST_CASE(manual_run_answers_success_after_two_seconds_while_still_running) {
  auto cfg = sim::default_cluster();
  cfg.doris.knobs.disk_throughput_bytes_per_sec = 1024; // minutes per compaction
  cluster_fixture f{cfg};
  auto started = f.time->now();
  auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 10015, sim::compaction_type::full, cb); });
  BOOST_TEST(r.value->ok());
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(f.time->now() - started);
  BOOST_TEST(waited.count() >= 2000);
  auto st = f.ask<sim::run_status_view>([&](auto cb) { f.doris->run_status(0, 10015, cb); });
  BOOST_TEST(st.value->running);
  BOOST_TEST(st.value->compact_type == "full");
  auto busy = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 10015, sim::compaction_type::base, cb); });
  BOOST_TEST(static_cast<int>(busy.value->code) == -216);
}

BOOST_AUTO_TEST_CASE(unknown_tablet_and_unknown_backend_are_reported) {
  cluster_fixture f;
  auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(0, 999999999, sim::compaction_type::base, cb); });
  BOOST_TEST((r.value->code == sim::errc::not_found));
  auto missing = f.ask<sim::status>([&](auto cb) { f.doris->run_compaction(7, 10015, sim::compaction_type::base, cb); });
  BOOST_TEST(!missing.ok());
}

BOOST_AUTO_TEST_CASE(table_full_compaction_repairs_corrupted_delete_bitmaps) {
  cluster_fixture f;
  caf::scoped_actor self{*f.sys};
  auto rh = self->request(f.cluster->backends[0], caf::infinite, actors::corrupt_atom::value, std::int64_t{10104},
                          std::int64_t{50});
  f.time->drain();
  std::int64_t corrupted = 0;
  rh.receive([&](sim::status& st, std::int64_t n) { BOOST_TEST(st.ok()); corrupted = n; },
             [](caf::error&) { BOOST_FAIL("corrupt failed"); });
  BOOST_TEST(corrupted > 0);
  auto snap = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(0, 10015, cb); });
  BOOST_TEST(snap.value->data.duplicates == 50);
  auto r = f.ask<sim::status>([&](auto cb) { f.doris->run_table_full(0, 10104, cb); });
  BOOST_TEST(r.value->ok());
  f.time->run_for(5s);
  snap = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(0, 10015, cb); });
  BOOST_TEST(snap.value->data.duplicates == 0);
  BOOST_TEST(snap.value->data.rowsets.size() <= 2u);
}

namespace {

/// Three BEs, `tables` tables of one bucket on all three, each loading once
/// a second, no automatic compaction: what a round of loads costs in messages.
sim::cluster_config loads_only(int tables) {
  auto cfg = sim::default_cluster();
  cfg.druid.enabled = false;
  cfg.doris.backends = 3;
  cfg.doris.knobs.disable_auto_compaction = true;
  cfg.doris.tables.clear();
  cfg.doris.workloads.clear();
  for (int t = 0; t < tables; ++t) {
    sim::doris_table_config tc;
    tc.id = 20000 + t;
    tc.name = "t" + std::to_string(t);
    tc.replication_num = 3;
    cfg.doris.tables.push_back(tc);
    sim::doris_workload_config w;
    w.table = tc.id;
    w.loads_per_second = 1;
    cfg.doris.workloads.push_back(w);
  }
  return cfg;
}

} // namespace

// PublishVersionDaemon#publishVersion puts every ready transaction's
// PublishVersionTask into one AgentBatchTask, which sends each backend its
// tasks in one call; the loads due at one instant are prepared the same way.
BOOST_AUTO_TEST_CASE(loads_due_together_reach_each_backend_as_one_prepare_and_one_publish) {
  auto events_for = [](int tables, std::uint64_t& loads) {
    cluster_fixture f{loads_only(tables)};
    auto events = f.time->run_for(60s);
    loads = 0;
    for (std::size_t be = 0; be < 3; ++be) {
      auto s = stats_of(f, be);
      BOOST_TEST(s.rejected_loads == 0u);
      loads += s.loads;
    }
    return events;
  };
  std::uint64_t one_loads = 0, many_loads = 0;
  auto one = events_for(1, one_loads);
  auto many = events_for(20, many_loads);
  BOOST_TEST(one_loads == 3u * 60u);
  BOOST_TEST(many_loads == 20u * 3u * 60u);
  // Twenty times the loads, about the same messages: a table's own round
  // trips would make it twenty times as many.
  BOOST_TEST(many < 2 * one, many << " events for 20 tables, " << one << " for one");
}

BOOST_AUTO_TEST_CASE(same_seed_gives_the_same_cluster_state) {
  auto run = [] {
    cluster_fixture f;
    f.time->run_for(5min);
    std::string digest;
    for (auto tablet : {10015, 11308}) {
      auto snap = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(0, tablet, cb); });
      for (const auto& rs : snap.value->data.rowsets)
        digest += std::to_string(rs.start) + "-" + std::to_string(rs.end) + ":" + std::to_string(rs.rows) + ";";
    }
    auto s = stats_of(f, 1);
    digest += std::to_string(s.started) + "/" + std::to_string(s.finished) + "/" + std::to_string(s.loads);
    return digest;
  };
  auto a = run(), b = run();
  BOOST_TEST(a == b);
  BOOST_TEST(!a.empty());
}

BOOST_AUTO_TEST_SUITE_END()
