//! The Druid actors on virtual time: the coordinator's duty on its period,
//! tasks running on worker slots, and convergence.

#include <boost/test/unit_test.hpp>

#include <boost/json/parse.hpp>

#include "sim/cluster_config.hpp"
#include "sim/druid/overlord.hpp"
#include "tests/actors/fixture.hpp"
#include "tests/sim/print.hpp"

using namespace compactsim;
using namespace std::chrono_literals;
using test::cluster_fixture;
namespace druid = sim::druid;

namespace {

/// The default Doris side without loads, and a Druid side of our own.
sim::cluster_config druid_cluster(int slots, druid::time_ms period_ms) {
  auto cfg = sim::default_cluster();
  cfg.doris.workloads.clear();
  cfg.druid.workers = {{"mm-1:8091", slots}};
  cfg.druid.datasources.clear();
  cfg.druid.workloads.clear();
  cfg.druid.knobs.start_delay_ms = 10'000;
  cfg.druid.knobs.indexing_period_ms = period_ms;
  return cfg;
}

druid::datasource_config config(const char* text) {
  std::string error;
  auto c = druid::parse_datasource_config(boost::json::parse(text), error);
  BOOST_REQUIRE_MESSAGE(c, error);
  return *c;
}

std::vector<druid::auto_compaction_snapshot> latest(cluster_fixture& f) {
  auto st = f.ask<druid::compaction_status>([&](auto cb) { f.druid->compaction_status(cb); });
  BOOST_REQUIRE(st.ok());
  return st.value->latest;
}

/// POST .../config/compaction, through the coordinator's typed request.
void put_config(cluster_fixture& f, const std::string& text, druid::audit_info who = {}) {
  auto done = f.ask<bool>([&](auto cb) { f.druid->put_config(config(text.c_str()), who, cb); });
  BOOST_REQUIRE(done.ok());
}

/// Every task, with the workers and the locks, through the overlord's typed request.
druid::task_board board(cluster_fixture& f) {
  auto b = f.ask<druid::task_board>([&](auto cb) { f.druid->tasks(false, cb); });
  BOOST_REQUIRE(b.ok());
  return *b.value;
}

druid::task_row task(cluster_fixture& f, const std::string& id) {
  auto t = f.ask<druid::task_lookup>([&](auto cb) { f.druid->task(id, cb); });
  BOOST_REQUIRE(t.ok());
  BOOST_REQUIRE(t.value->found);
  return t.value->row;
}

/// POST /druid/indexer/v1/task, through the overlord's typed request.
std::string submit(cluster_fixture& f, const char* spec) {
  auto s = f.ask<druid::submission>([&](auto cb) { f.druid->submit(boost::json::parse(spec), cb); });
  BOOST_REQUIRE(s.ok());
  BOOST_REQUIRE_MESSAGE(!s.value->failure, (s.value->failure ? s.value->failure->message : ""));
  return s.value->id;
}

} // namespace

BOOST_AUTO_TEST_SUITE(actors_druid)

BOOST_AUTO_TEST_CASE(the_duty_runs_on_its_period_and_converges) {
  auto cfg = druid_cluster(4, 60'000);
  sim::druid_datasource_config wiki;
  wiki.name = "wiki";
  wiki.recent = druid::period{.days = 3};
  wiki.rows_per_segment = 1000;
  wiki.bytes_per_segment = 50'000'000;
  cfg.druid.datasources.push_back(wiki);
  cluster_fixture f{cfg};
  put_config(f, R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                    "granularitySpec": {"segmentGranularity": "DAY"}})",
             {"test", "", "127.0.0.1"});
  f.time->run_for(9s);
  BOOST_TEST(latest(f).empty()); // the start delay has not passed
  f.time->run_for(2s);
  auto first = latest(f);
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].compacted.segments == 24); // one slot: floor((int)(4 * 0.1)) -> 1 task, a day
  BOOST_TEST(first[0].awaiting.segments == 48);
  f.time->run_for(10min);
  auto done = latest(f);
  BOOST_TEST(done[0].awaiting.bytes == 0);
  BOOST_TEST(done[0].compacted.segments == 3);
  BOOST_TEST(done[0].compacted.bytes == 72 * 50'000'000LL); // bytes conserved
  auto tasks = board(f).tasks;
  BOOST_TEST(tasks.size() == 3u);
  for (const auto& t : tasks)
    BOOST_TEST((t.state == druid::task_state::success));
}

BOOST_AUTO_TEST_CASE(druids_compact_segments_test_numbers_through_the_actors) {
  auto cfg = druid_cluster(10, 60'000); // 10 slots x 0.1: one task per run
  cluster_fixture f{cfg};
  {
    auto& o = f.overlord_model();
    auto start = *druid::parse_instant("2017-01-01");
    druid::segment_schema schema{{"dim"}, {"count"}, druid::granularity::none, false};
    for (int d = 0; d < 3; ++d)
      for (int half = 0; half < 12; ++half)
        for (int p = 0; p < 4; ++p)
          o.ingest("dataSource_" + std::to_string(d),
                   {start + half * 43'200'000LL, start + (half + 1) * 43'200'000LL}, 100, 10, schema, start);
  }
  for (int d = 0; d < 3; ++d)
    put_config(f, R"({"dataSource": "dataSource_)" + std::to_string(d) +
                    R"(", "inputSegmentSizeBytes": 50, "skipOffsetFromLatest": "PT1H", "taskPriority": 0,
                    "tuningConfig": {"partitionsSpec": {"type": "hashed", "numShards": 2}}})");
  f.time->run_for(40min); // 33 tasks, one per minute
  auto done = latest(f);
  BOOST_REQUIRE(done.size() == 3u);
  for (const auto& s : done) {
    BOOST_TEST(s.compacted == (druid::compaction_stats{440, 22, 11}));
    BOOST_TEST(s.skipped == (druid::compaction_stats{40, 4, 1}));
    BOOST_TEST(s.awaiting == (druid::compaction_stats{}));
  }
}

BOOST_AUTO_TEST_CASE(streaming_into_a_compacting_chunk_fails_the_compaction) {
  auto cfg = druid_cluster(4, 3'600'000);
  sim::druid_datasource_config wiki;
  wiki.name = "wiki";
  wiki.recent = druid::period{.hours = 2};
  wiki.bytes_per_segment = 64LL << 30; // a long task: 64 GiB at 64 MiB/s
  cfg.druid.datasources.push_back(wiki);
  cfg.druid.workloads.push_back({.datasource = "wiki", .granularity = druid::granularity::hour,
                                 .segments_per_minute = 1, .rows_per_segment = 10, .bytes_per_segment = 1000});
  cfg.epoch_ms = *druid::parse_instant("2025-01-01T02:30:00Z");
  cluster_fixture f{cfg};
  // Compact the chunk streaming writes into (02:00-03:00 gets segments from
  // the workload). Its first segment was written long enough ago that the
  // stream's lock on the chunk has lapsed, so the compaction takes it; the
  // stream's next write (priority 75) revokes it.
  auto now = f.ask<druid::store_view>([&](auto cb) { f.druid->timelines(cb); }).value->now;
  auto& o = f.overlord_model();
  o.ingest("wiki", {*druid::parse_instant("2025-01-01T02:00:00Z"), *druid::parse_instant("2025-01-01T03:00:00Z")},
           10, 64LL << 30, {}, now - o.settings().streaming_lock_linger_ms - 1);
  auto id = submit(f, R"({"type": "compact", "dataSource": "wiki",
                          "interval": "2025-01-01T02:00:00Z/2025-01-01T03:00:00Z"})");
  f.time->run_for(2min);
  auto t = task(f, id);
  BOOST_TEST((t.state == druid::task_state::failed));
  BOOST_TEST(t.error == "Ran [1] specs, [0] succeeded, [1] failed");
}

BOOST_AUTO_TEST_CASE(a_worker_that_dies_takes_its_running_task_down) {
  auto cfg = druid_cluster(2, 3'600'000);
  sim::druid_datasource_config wiki;
  wiki.name = "wiki";
  wiki.recent = druid::period{.hours = 2};
  wiki.bytes_per_segment = 64LL << 30; // two hours of work at 64 MiB/s
  cfg.druid.datasources.push_back(wiki);
  cluster_fixture f{cfg};
  auto id = submit(f, R"({"type": "compact", "dataSource": "wiki", "interval": "2000-01-01/2100-01-01"})");
  f.time->run_for(1min);
  auto running = task(f, id);
  BOOST_TEST((running.runner == druid::runner_state::running));
  caf::anon_send_exit(f.cluster->druid_workers.at(0), caf::exit_reason::kill);
  f.time->run_for(1s);
  auto failed = task(f, id);
  BOOST_TEST((failed.state == druid::task_state::failed));
  BOOST_TEST(failed.error.starts_with("The worker that this task was assigned disappeared"));
  BOOST_TEST(board(f).used_capacity == 0);
}

BOOST_AUTO_TEST_SUITE_END()
