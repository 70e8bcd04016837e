//! sim/druid_duty: Druid 30's CompactSegments over the overlord model: slot
//! arithmetic with its overshoot, newest-first selection, the skip rules,
//! the already-compacted checks and the statistics.

#include <boost/test/unit_test.hpp>

#include "tests/sim/druid_fixture.hpp"

using namespace compactsim::test;
using druid::granularity;

namespace {

druid::overlord three_datasources() {
  // Druid's CompactSegmentsTest: 3 datasources x 6 days x 2 half-day
  // intervals x 4 partitions of 10 bytes.
  druid::overlord o{{}, {{"worker1:8091", 10}}, 1};
  for (int d = 0; d < 3; ++d) {
    auto start = at("2017-01-01");
    for (int half = 0; half < 12; ++half) {
      druid::interval span{start + half * 43'200'000LL, start + (half + 1) * 43'200'000LL};
      for (int p = 0; p < 4; ++p)
        o.ingest("dataSource_" + std::to_string(d), span, 100, 10, wiki_schema, at("2016-12-31"));
    }
  }
  return o;
}

druid::cluster_compaction_config example_config() {
  druid::cluster_compaction_config cfg;
  for (int d = 0; d < 3; ++d)
    cfg.put(config((R"({"dataSource": "dataSource_)" + std::to_string(d) +
                                  R"(", "inputSegmentSizeBytes": 50, "skipOffsetFromLatest": "PT1H", "taskPriority": 0,
                                  "tuningConfig": {"partitionsSpec": {"type": "hashed", "numShards": 2}}})").c_str()));
  return cfg;
}

const druid::auto_compaction_snapshot& stats_of(const druid::duty_result& r, const std::string& ds) {
  for (const auto& s : r.snapshot)
    if (s.data_source == ds)
      return s;
  BOOST_FAIL("no snapshot for " + ds);
  return r.snapshot.front();
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_druid_duty)

BOOST_AUTO_TEST_CASE(druids_compact_segments_test_example_converges_to_its_numbers) {
  auto o = three_datasources();
  auto cfg = example_config();
  compactsim::sim::rng ids{7};
  auto now = at("2017-02-01");

  auto first = druid::run_compact_segments(duty_input_of(o, cfg, now, 5, 10), ids);
  BOOST_TEST(first.max_slots == 1); // (int)(10 * 0.1): maximumCapacityWithAutoScale wins
  BOOST_TEST(first.submissions.size() == 1u);
  std::int64_t awaiting = 0, compacted = 0;
  for (const auto& s : first.snapshot) {
    awaiting += s.awaiting.bytes;
    compacted += s.compacted.bytes;
    BOOST_TEST(s.skipped == (druid::compaction_stats{40, 4, 1})); // the last half-day, inside PT1H
  }
  BOOST_TEST(awaiting == 3 * 440 - 40);
  BOOST_TEST(compacted == 40);

  std::vector<std::pair<druid::time_ms, std::string>> order;
  druid::duty_result last;
  for (int run = 0; run < 100; ++run) {
    last = druid::run_compact_segments(duty_input_of(o, cfg, now, 5, 10), ids);
    if (last.submissions.empty())
      break;
    BOOST_TEST(last.submissions.size() == 1u);
    const auto& spec = last.submissions.front();
    auto span = druid::parse_interval(spec.at("ioConfig").at("inputSpec").at("interval").as_string());
    order.emplace_back(span->start, std::string{spec.at("dataSource").as_string()});
    now = run_all(o, last.submissions, now);
  }
  BOOST_TEST(order.size() == 33u);
  for (std::size_t i = 1; i < order.size(); ++i)
    BOOST_TEST(order[i].first <= order[i - 1].first); // newest first across datasources
  BOOST_TEST(order[0].second == "dataSource_0");
  BOOST_TEST(order[1].second == "dataSource_1");
  for (int d = 0; d < 3; ++d) {
    const auto& s = stats_of(last, "dataSource_" + std::to_string(d));
    BOOST_TEST(s.compacted == (druid::compaction_stats{440, 22, 11}));
    BOOST_TEST(s.skipped == (druid::compaction_stats{40, 4, 1}));
    BOOST_TEST(s.awaiting == (druid::compaction_stats{}));
  }
}

BOOST_AUTO_TEST_CASE(slot_arithmetic_keeps_the_floor_of_one_and_the_overshoot) {
  druid::overlord o{{}, {{"w:8091", 40}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::day, 10, 2, 100, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                                   "tuningConfig": {"maxNumConcurrentSubTasks": 2}})"));
  compactsim::sim::rng ids{1};
  auto now = at("2020-02-01");
  // 40 slots x 0.1 = 4 available; 3 slots per task: 2 tasks (the check comes before each submit).
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, now, 40), ids);
  BOOST_TEST(r.max_slots == 4);
  BOOST_TEST(r.submissions.size() == 2u);
  // (int)(5 * 0.1) = 0, yet one task when none is busy.
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 5), ids);
  BOOST_TEST(r.max_slots == 0);
  BOOST_TEST(r.available_slots == 1);
  BOOST_TEST(r.submissions.size() == 1u);
  // ... and none while one runs.
  BOOST_REQUIRE(std::holds_alternative<std::string>(o.submit(r.submissions.front(), now)));
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 5), ids);
  BOOST_TEST(r.available_slots == 0);
  BOOST_TEST(r.submissions.empty());
  // maxCompactionTaskSlots caps the ratio; 0 turns compaction off and empties the snapshot.
  cfg.slot_ratio = 1.0;
  cfg.max_slots = 5;
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 1000), ids);
  BOOST_TEST(r.max_slots == 5);
  BOOST_TEST(r.available_slots == 2); // 5 minus the 3 busy slots of the submitted task
  cfg.max_slots = 0;
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 1000), ids);
  BOOST_TEST(r.snapshot.empty());
  BOOST_TEST(r.submissions.empty());
}

BOOST_AUTO_TEST_CASE(running_task_intervals_are_skipped_and_count_twice_with_their_lock) {
  druid::overlord o{{}, {{"w:8091", 4}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::day, 3, 1, 100, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S"})"));
  compactsim::sim::rng ids{1};
  auto now = at("2020-02-01");
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  BOOST_REQUIRE(r.submissions.size() == 1u);
  BOOST_REQUIRE(std::holds_alternative<std::string>(o.submit(r.submissions.front(), now)));
  o.step(now); // takes the lock, runs
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  auto s = r.snapshot.at(0);
  // The newest day is both an active task's interval and a held lock (priority 25 >= 25).
  BOOST_TEST(s.skipped == (druid::compaction_stats{200, 2, 2}));
  BOOST_TEST(r.submissions.size() == 0u); // 1 slot of 0.4 -> floor 0, one busy
  BOOST_TEST(s.awaiting == (druid::compaction_stats{200, 2, 2}));
}

BOOST_AUTO_TEST_CASE(skip_offset_is_measured_from_the_latest_segment_and_oversized_intervals_are_skipped) {
  druid::overlord o{{}, {{"w:8091", 100}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 48, 1, 100, 10, at("2019-12-31"));
  ingest_run(o, "wiki", at("2020-01-03"), granularity::hour, 1, 1, 5000, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  compactsim::sim::rng ids{1};
  auto now = at("2030-01-01"); // far later: the offset counts from the data, not from now
  auto interval_of = [](const boost::json::object& spec) {
    return std::string{spec.at("ioConfig").at("inputSpec").at("interval").as_string()};
  };

  // Hourly chunks; latest end 01-03T01, so P1D skips [01-02T01, 01-03T01).
  cfg.put(config(R"({"dataSource": "wiki", "inputSegmentSizeBytes": 1000})"));
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, now, 100), ids);
  BOOST_TEST(r.snapshot.at(0).skipped == (druid::compaction_stats{2300 + 5000, 24, 24}));
  BOOST_TEST(r.snapshot.at(0).compacted == (druid::compaction_stats{1000, 10, 10})); // 10 slots, submitted
  BOOST_TEST(r.snapshot.at(0).awaiting == (druid::compaction_stats{1500, 15, 15}));
  BOOST_REQUIRE(r.submissions.size() == 10u);
  BOOST_TEST(interval_of(r.submissions[0]) == "2020-01-02T00:00:00.000Z/2020-01-02T01:00:00.000Z");
  BOOST_TEST(r.submissions[0].at("granularitySpec").at("segmentGranularity").as_string() == "HOUR");
  BOOST_TEST(r.submissions[0].at("context").at("storeCompactionState").as_bool());
  BOOST_TEST(r.submissions[0].at("id").as_string().starts_with("coordinator-issued_compact_wiki_"));

  // DAY buckets: latest is the end of the 01-03 bucket, the window its whole day.
  cfg.put(config(R"({"dataSource": "wiki", "inputSegmentSizeBytes": 3000,
                            "granularitySpec": {"segmentGranularity": "DAY"}})"));
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 100), ids);
  BOOST_TEST(r.snapshot.at(0).skipped == (druid::compaction_stats{5000, 1, 1}));
  BOOST_TEST(r.snapshot.at(0).compacted == (druid::compaction_stats{4800, 48, 48}));
  BOOST_REQUIRE(r.submissions.size() == 2u);
  BOOST_TEST(interval_of(r.submissions[0]) == "2020-01-02T00:00:00.000Z/2020-01-03T00:00:00.000Z");

  // No offset: the 5000-byte day is now eligible but over inputSegmentSizeBytes.
  cfg.put(config(R"({"dataSource": "wiki", "inputSegmentSizeBytes": 3000, "skipOffsetFromLatest": "PT0S",
                            "granularitySpec": {"segmentGranularity": "DAY"}})"));
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 100), ids);
  BOOST_TEST(r.snapshot.at(0).skipped == (druid::compaction_stats{5000, 1, 1}));
  BOOST_TEST(r.submissions.size() == 2u);
  cfg.put(config(R"({"dataSource": "wiki", "inputSegmentSizeBytes": 10000, "skipOffsetFromLatest": "PT0S",
                            "granularitySpec": {"segmentGranularity": "DAY"}})"));
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 100), ids);
  BOOST_TEST(r.snapshot.at(0).skipped == (druid::compaction_stats{}));
  BOOST_TEST(r.submissions.size() == 3u);
}

BOOST_AUTO_TEST_CASE(compacted_segments_pass_the_checks_until_the_config_changes) {
  druid::overlord o{{}, {{"w:8091", 4}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 24, 1, 100, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                                   "granularitySpec": {"segmentGranularity": "DAY"}})"));
  compactsim::sim::rng ids{1};
  auto now = at("2020-02-01");
  const auto& tl = *o.store().find("wiki");
  BOOST_TEST((druid::needs_compaction(tl, tl.overlapping({at("2020-01-01"), at("2020-01-02")}), *cfg.find("wiki")) ==
              "not compacted yet"));
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  now = run_all(o, r.submissions, now);
  const auto& after = *o.store().find("wiki");
  BOOST_REQUIRE(after.segments.size() == 1u);
  BOOST_TEST(after.segments[0].rows == 240);
  BOOST_TEST(after.segments[0].size == 2400);
  BOOST_TEST(!druid::needs_compaction(after, {&after.segments[0]}, *cfg.find("wiki")).has_value());
  r = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  BOOST_TEST(r.submissions.empty());
  BOOST_TEST(r.snapshot.at(0).compacted == (druid::compaction_stats{2400, 1, 1}));

  auto monthly = config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                            "granularitySpec": {"segmentGranularity": "MONTH"}})");
  // CompactionStatus#configChanged (Druid 31's wording, which its simulator shows).
  BOOST_TEST(druid::needs_compaction(after, {&after.segments[0]}, monthly).value() ==
             "'segmentGranularity' mismatch: required[MONTH], current[DAY]");
  auto hashed = config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                           "granularitySpec": {"segmentGranularity": "DAY"},
                           "tuningConfig": {"partitionsSpec": {"type": "hashed", "targetRowsPerSegment": 1234567,
                                                               "partitionDimensions": ["page", "user"]}}})");
  BOOST_TEST(druid::needs_compaction(after, {&after.segments[0]}, hashed).value() ==
             "'partitionsSpec' mismatch: required['hashed' on [page, user] with 1,234,567 rows], "
             "current['dynamic' with 5,000,000 rows]");
  auto filtered = config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                             "transformSpec": {"filter": {"type": "selector", "dimension": "channel", "value": "#en"}}})");
  BOOST_TEST(druid::needs_compaction(after, {&after.segments[0]}, filtered).has_value());
}

// NewestSegmentFirstIterator#findSegmentsToCompact skips an interval that is
// one tombstone, but not several; CompactSegments#submitCompactionTasks then
// forces dropExisting, so the task replaces them with one compacted tombstone.
BOOST_AUTO_TEST_CASE(a_single_tombstone_is_left_alone_and_several_compact_with_drop_existing) {
  druid::overlord o{{}, {{"w:8091", 4}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 48, 1, 100, 10, at("2019-12-31"));
  auto now = at("2020-02-01");
  now = run_all(o, {boost::json::parse(R"({"type": "compact", "dataSource": "wiki",
    "ioConfig": {"type": "compact", "inputSpec": {"type": "interval", "interval": "2020-01-01/2020-01-03"}, "dropExisting": true},
    "granularitySpec": {"segmentGranularity": "DAY"}, "transformSpec": {"filter": {"type": "false"}}})").as_object()}, now);
  // And an hour in February, so January is not the newest interval.
  ingest_run(o, "wiki", at("2020-02-01"), granularity::hour, 1, 1, 100, 10, at("2020-01-31"));
  const auto& tl = *o.store().find("wiki");
  BOOST_REQUIRE(tl.segments.size() == 3u);
  BOOST_TEST((tl.segments[0].tombstone && tl.segments[1].tombstone && !tl.segments[2].tombstone));
  compactsim::sim::rng ids{1};
  auto interval_of = [](const boost::json::object& task) {
    return std::string{task.at("ioConfig").at("inputSpec").at("interval").as_string()};
  };

  druid::cluster_compaction_config daily;
  daily.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "DAY"},
                       "transformSpec": {"filter": {"type": "false"}}})"));
  auto r = druid::run_compact_segments(duty_input_of(o, daily, now, 4), ids);
  BOOST_REQUIRE(r.submissions.size() == 1u); // each January day is one tombstone: only February's hour
  BOOST_TEST(interval_of(r.submissions[0]) == "2020-02-01T00:00:00.000Z/2020-02-02T00:00:00.000Z");

  druid::cluster_compaction_config monthly;
  monthly.slot_ratio = 1; // both months in one run
  monthly.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "MONTH"}})"));
  r = druid::run_compact_segments(duty_input_of(o, monthly, now, 4), ids);
  BOOST_REQUIRE(r.submissions.size() == 2u); // February, then January's two tombstones
  BOOST_TEST(interval_of(r.submissions[1]) == "2020-01-01T00:00:00.000Z/2020-02-01T00:00:00.000Z");
  BOOST_TEST(r.submissions[1].at("ioConfig").at("dropExisting") == boost::json::value(true));
  BOOST_TEST(r.submissions[0].at("ioConfig").at("dropExisting").is_null()); // February has rows
  now = run_all(o, r.submissions, now);
  const auto& after = *o.store().find("wiki");
  BOOST_REQUIRE(after.segments.size() == 2u);
  BOOST_TEST(after.segments[0].tombstone);
  BOOST_TEST(druid::format_interval(after.segments[0].span) == "2020-01-01T00:00:00.000Z/2020-02-01T00:00:00.000Z");
  BOOST_TEST(after.segments[0].size == 1);
  r = druid::run_compact_segments(duty_input_of(o, monthly, now, 4), ids);
  BOOST_TEST(r.submissions.empty()); // one tombstone and a compacted month: converged
}

BOOST_AUTO_TEST_CASE(a_task_of_another_granularity_is_cancelled) {
  druid::overlord o{{}, {{"w:8091", 4}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 24, 1, 100, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                                   "granularitySpec": {"segmentGranularity": "DAY"}})"));
  compactsim::sim::rng ids{1};
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, at("2020-02-01"), 4), ids);
  BOOST_REQUIRE(std::holds_alternative<std::string>(o.submit(r.submissions.front(), at("2020-02-01"))));
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                     "granularitySpec": {"segmentGranularity": "MONTH"}})"));
  r = druid::run_compact_segments(duty_input_of(o, cfg, at("2020-02-01"), 4), ids);
  BOOST_TEST(r.cancellations.size() == 1u);
  BOOST_TEST(r.submissions.size() == 1u); // the slot is free again
}

// CompactionRunSimulatorTest#testSimulateClusterCompactionConfigUpdate
// (Druid 31, d06327ab24): 10 DAY intervals of 10 segments of 100 MB from
// 2013-01-01 and a config with only the datasource. The newest day is
// skipped (skipOffsetFromLatest P1D), the nine others are queued newest
// first, one task slot each, because nothing is compacted yet.
BOOST_AUTO_TEST_CASE(the_simulator_queues_every_interval_and_skips_the_latest_as_druids_test_expects) {
  druid::overlord o{{}, {{"w:8091", 1}}, 1};
  for (int day = 0; day < 10; ++day)
    for (int p = 0; p < 10; ++p)
      o.ingest("wiki", {at("2013-01-01") + day * 86'400'000LL, at("2013-01-01") + (day + 1) * 86'400'000LL}, 1000,
               100'000'000, wiki_schema, at("2012-12-31"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki"})"));
  // One slot of capacity: the simulator ignores it (unlimited slots).
  auto in = duty_input_of(o, cfg, at("2013-02-01"), 1);
  auto s = druid::simulate_compact_segments(in, std::nullopt);
  BOOST_TEST(s.complete.empty());
  BOOST_TEST(s.running.empty());
  BOOST_REQUIRE(s.pending.size() == 9u);
  for (int i = 0; i < 9; ++i) {
    const auto& row = s.pending[i];
    BOOST_TEST(row.data_source == "wiki");
    BOOST_TEST(druid::format_interval(row.umbrella) ==
               druid::format_interval({at("2013-01-09") - i * 86'400'000LL, at("2013-01-10") - i * 86'400'000LL}));
    BOOST_TEST(row.segments == 10);
    BOOST_TEST(row.bytes == 1'000'000'000);
    BOOST_TEST(row.max_task_slots.value_or(-1) == 1);
    BOOST_TEST(row.reason.value_or("") == "not compacted yet");
  }
  BOOST_REQUIRE(s.skipped.size() == 1u);
  BOOST_TEST(druid::format_interval(s.skipped[0].umbrella) == "2013-01-10T00:00:00.000Z/2013-01-11T00:00:00.000Z");
  BOOST_TEST(s.skipped[0].segments == 10);
  BOOST_TEST(s.skipped[0].bytes == 1'000'000'000);
  BOOST_TEST(!s.skipped[0].max_task_slots.has_value()); // Druid 31's createRow: no tuningConfig, no slots
  BOOST_TEST(s.skipped[0].reason.value_or("") == "skip offset from latest[P1D]");

  // Nothing was submitted: the real duty still finds every interval to do.
  compactsim::sim::rng ids{1};
  auto real = druid::run_compact_segments(in, ids);
  BOOST_TEST(real.submissions.size() == 1u); // one slot of capacity
  BOOST_TEST(o.tasks().empty());
}

// DruidCoordinatorTest#testSimulateRunWithEmptyDatasourceCompactionConfigs:
// no configs, no states. Compacted intervals are COMPLETE rows (four
// values); a priority datasource's candidates come first
// (BaseCandidateSearchPolicy); an interval over inputSegmentSizeBytes is
// skipped with CompactionStatusTracker#computeCompactionStatus's reason.
BOOST_AUTO_TEST_CASE(the_simulator_reports_compacted_and_oversized_intervals_and_honours_the_priority_datasource) {
  druid::overlord o{{}, {{"w:8091", 4}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 48, 1, 100, 10, at("2019-12-31"));
  ingest_run(o, "koala", at("2020-01-01"), granularity::hour, 24, 1, 100, 10, at("2019-12-31"));
  druid::cluster_compaction_config cfg;
  BOOST_TEST(druid::simulate_compact_segments(duty_input_of(o, cfg, at("2020-02-01"), 4), std::nullopt).pending.empty());

  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                     "granularitySpec": {"segmentGranularity": "DAY"}})"));
  compactsim::sim::rng ids{1};
  auto now = at("2020-02-01");
  auto r = druid::run_compact_segments(duty_input_of(o, cfg, now, 1), ids);
  BOOST_REQUIRE(r.submissions.size() == 1u); // the newest day
  now = run_all(o, r.submissions, now);
  cfg.put(config(R"({"dataSource": "koala", "skipOffsetFromLatest": "PT0S", "inputSegmentSizeBytes": 100,
                     "granularitySpec": {"segmentGranularity": "DAY"}})"));

  auto s = druid::simulate_compact_segments(duty_input_of(o, cfg, now, 4), std::nullopt);
  BOOST_REQUIRE(s.complete.size() == 1u);
  BOOST_TEST(s.complete[0].data_source == "wiki");
  BOOST_TEST(druid::format_interval(s.complete[0].umbrella) == "2020-01-02T00:00:00.000Z/2020-01-03T00:00:00.000Z");
  BOOST_TEST(!s.complete[0].reason.has_value());
  BOOST_REQUIRE(s.pending.size() == 1u);
  BOOST_TEST(druid::format_interval(s.pending[0].umbrella) == "2020-01-01T00:00:00.000Z/2020-01-02T00:00:00.000Z");
  BOOST_REQUIRE(s.skipped.size() == 1u);
  BOOST_TEST(s.skipped[0].data_source == "koala");
  BOOST_TEST(s.skipped[0].reason.value_or("") ==
             "'inputSegmentSize' exceeded: Total segment size[2400] is larger than allowed inputSegmentSize[100]");

  // Both datasources pending, koala's one day against wiki's older one:
  // by default the newest interval goes first; with koala as the priority
  // datasource, koala's does whatever its interval.
  cfg.put(config(R"({"dataSource": "koala", "skipOffsetFromLatest": "PT0S",
                     "granularitySpec": {"segmentGranularity": "DAY"}})"));
  ingest_run(o, "koala", at("2019-12-30"), granularity::hour, 24, 1, 100, 10, at("2019-12-29"));
  auto plain = druid::simulate_compact_segments(duty_input_of(o, cfg, now, 4), std::nullopt);
  auto first_koala = druid::simulate_compact_segments(duty_input_of(o, cfg, now, 4), druid::compaction_policy{"koala"});
  BOOST_REQUIRE(plain.pending.size() == 3u);
  BOOST_REQUIRE(first_koala.pending.size() == 3u);
  BOOST_TEST(plain.pending[0].data_source == "koala"); // 2020-01-01 ties wiki's; the name breaks it
  BOOST_TEST(plain.pending[2].data_source == "koala"); // 2019-12-30, the oldest
  BOOST_TEST(first_koala.pending[0].data_source == "koala");
  BOOST_TEST(first_koala.pending[1].data_source == "koala");
  BOOST_TEST(first_koala.pending[2].data_source == "wiki");

  // CompactSegments#run (Druid 31) searches with the stored config's
  // getCompactionPolicy(): a real run submits koala's intervals first, and a
  // simulation without a policy of its own keeps the stored one
  // (DruidCoordinator#simulateRunWithConfigUpdate's withClusterConfig).
  cfg.policy.priority_datasource = "koala";
  cfg.slot_ratio = 1.0;
  auto stored = druid::simulate_compact_segments(duty_input_of(o, cfg, now, 4), std::nullopt);
  BOOST_REQUIRE(stored.pending.size() == 3u);
  BOOST_TEST(stored.pending[1].data_source == "koala");
  auto overridden = druid::simulate_compact_segments(duty_input_of(o, cfg, now, 4), druid::compaction_policy{});
  BOOST_TEST(overridden.pending[1].data_source == "wiki");
  compactsim::sim::rng run_ids{3};
  auto run = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), run_ids);
  BOOST_REQUIRE(run.submissions.size() == 3u);
  BOOST_TEST(run.submissions[0].at("dataSource").as_string() == "koala");
  BOOST_TEST(run.submissions[1].at("dataSource").as_string() == "koala");
  BOOST_TEST(run.submissions[2].at("dataSource").as_string() == "wiki");
  cfg.policy.priority_datasource = std::nullopt;
  auto plain_run = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), run_ids);
  BOOST_REQUIRE(plain_run.submissions.size() == 3u);
  BOOST_TEST(plain_run.submissions[1].at("dataSource").as_string() == "wiki");
}

// AbstractBatchIndexTask#addCompactionStateToSegments stores the data
// schema's dimensions and aggregators, which a compaction task without its
// own derives from its inputs (string dimensions; the combining aggregator of
// each metric). CompactionStatus then compares a config's dimensionsSpec and
// metricsSpec against those: equal ones are up to date, however they were
// written, and others are a mismatch.
BOOST_AUTO_TEST_CASE(the_stored_data_schema_is_what_a_configured_spec_is_compared_with) {
  druid::overlord o{{}, {{"worker1:8091", 10}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 24, 1, 100, 10, at("2020-01-01"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "DAY"}})"));
  cfg.slot_ratio = 1.0;
  compactsim::sim::rng ids{5};
  auto now = at("2020-01-03");
  auto first = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  BOOST_REQUIRE(first.submissions.size() == 1u);
  now = run_all(o, first.submissions, now);
  const auto& tl = *o.store().find("wiki");
  const auto* st = tl.state(tl.segments.front());
  BOOST_REQUIRE(st);
  // granularitySpec.intervals: the task's umbrella over its inputs, the 24 hours.
  BOOST_TEST(druid::format_interval(*tl.state_interval(tl.segments.front())) ==
             "2020-01-01T00:00:00.000Z/2020-01-02T00:00:00.000Z");
  BOOST_TEST(st->dimensions ==
             R"([{"type":"string","name":"channel","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true},)"
             R"({"type":"string","name":"page","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true},)"
             R"({"type":"string","name":"user","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true}])");
  BOOST_TEST(st->metrics == R"([{"type":"longSum","name":"count","fieldName":"count"},{"type":"longSum","name":"added","fieldName":"added"}])");

  // The inputs' own dimensions, as names, and their combining aggregators: up to date.
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "DAY"},
                     "dimensionsSpec": {"dimensions": ["channel", "page", "user"]},
                     "metricsSpec": [{"type": "longSum", "name": "count", "fieldName": "count"},
                                     {"type": "longSum", "name": "added", "fieldName": "added"}]})"));
  auto same = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  BOOST_TEST(same.submissions.empty());
  BOOST_TEST(stats_of(same, "wiki").compacted.intervals == 1);
  // One dimension fewer: 'dimensionsSpec' mismatch, compacted again.
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "DAY"},
                     "dimensionsSpec": {"dimensions": ["channel", "page"]}})"));
  auto fewer = druid::run_compact_segments(duty_input_of(o, cfg, now, 4), ids);
  BOOST_TEST(fewer.submissions.size() == 1u);
  auto reason = druid::needs_compaction(tl, {&tl.segments.front()}, *cfg.find("wiki"));
  BOOST_REQUIRE(reason.has_value());
  // CompactionStatus#configChanged with String::valueOf: DimensionSchema#toString.
  BOOST_TEST(*reason ==
             "'dimensionsSpec' mismatch: required[[DimensionSchema{name='channel', valueType=STRING, typeName=string, "
             "multiValueHandling=SORTED_ARRAY, createBitmapIndex=true}, DimensionSchema{name='page', valueType=STRING, "
             "typeName=string, multiValueHandling=SORTED_ARRAY, createBitmapIndex=true}]], current[[DimensionSchema{"
             "name='channel', valueType=STRING, typeName=string, multiValueHandling=SORTED_ARRAY, createBitmapIndex=true}, "
             "DimensionSchema{name='page', valueType=STRING, typeName=string, multiValueHandling=SORTED_ARRAY, "
             "createBitmapIndex=true}, DimensionSchema{name='user', valueType=STRING, typeName=string, "
             "multiValueHandling=SORTED_ARRAY, createBitmapIndex=true}]]");
  // Arrays::toString over the aggregators: a count where a longSum was stored.
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S", "granularitySpec": {"segmentGranularity": "DAY"},
                     "metricsSpec": [{"type": "count", "name": "count"}]})"));
  auto metric = druid::needs_compaction(tl, {&tl.segments.front()}, *cfg.find("wiki"));
  BOOST_REQUIRE(metric.has_value());
  BOOST_TEST(*metric == "'metricsSpec' mismatch: required[[CountAggregatorFactory{name='count'}]], "
                        "current[[LongSumAggregatorFactory{fieldName='count', expression='null', name='count'}, "
                        "LongSumAggregatorFactory{fieldName='added', expression='null', name='added'}]]");
}

// A PeriodGranularity no GranularityType has (PT4H) as the target: the duty
// searches 4-hour buckets, the task carries PeriodGranularity#serialize's
// object, its segments are 4 hours long and record that granularity, and
// the next run finds them compacted (CompactionStatus's equals).
BOOST_AUTO_TEST_CASE(a_four_hour_period_granularity_compacts_hours_into_four_hour_segments) {
  druid::overlord o{{}, {{"worker1:8091", 10}}, 1};
  ingest_run(o, "wiki", at("2020-01-01"), granularity::hour, 24, 1, 100, 10, at("2020-01-01"));
  druid::cluster_compaction_config cfg;
  cfg.put(config(R"({"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                     "granularitySpec": {"segmentGranularity": {"type": "period", "period": "PT4H"}}})"));
  cfg.slot_ratio = 1.0;
  compactsim::sim::rng ids{9};
  auto now = at("2020-01-03");
  auto first = druid::run_compact_segments(duty_input_of(o, cfg, now, 10), ids);
  BOOST_REQUIRE(first.submissions.size() == 6u);
  BOOST_TEST(boost::json::serialize(first.submissions[0].at("granularitySpec").at("segmentGranularity")) ==
             R"({"type":"period","period":"PT4H","timeZone":"UTC","origin":null})");
  BOOST_TEST(first.submissions[0].at("ioConfig").at("inputSpec").at("interval").as_string() ==
             "2020-01-01T20:00:00.000Z/2020-01-02T00:00:00.000Z");
  now = run_all(o, first.submissions, now);
  const auto& tl = *o.store().find("wiki");
  BOOST_REQUIRE(tl.segments.size() == 6u);
  for (const auto& seg : tl.segments) {
    BOOST_TEST(seg.span.duration() == 4 * 3'600'000LL);
    BOOST_TEST(tl.state(seg)->segment_granularity == granularity::of_period(*druid::parse_period("PT4H")));
  }
  auto second = druid::run_compact_segments(duty_input_of(o, cfg, now, 10), ids);
  BOOST_TEST(second.submissions.empty());
  BOOST_TEST(stats_of(second, "wiki").compacted.intervals == 6);
}

BOOST_AUTO_TEST_SUITE_END()
