//! sim/druid_overlord: compact task validation as Druid's CompactionTask
//! does it, the task life cycle, locks and slots, and what publishing writes.

#include <boost/test/unit_test.hpp>

#include "tests/sim/druid_fixture.hpp"

using namespace compactsim::test;
using druid::granularity;
using druid::runner_state;
using druid::task_state;
namespace json = boost::json;

namespace {

druid::overlord wikipedia(int slots = 4) {
  druid::overlord o{{}, {{"worker1:8091", slots}}, 1};
  ingest_run(o, "wikipedia", at("2020-01-01"), granularity::hour, 72, 1, 1000, 100, at("2020-01-05"));
  return o;
}

std::string submit_ok(druid::overlord& o, const std::string& spec, druid::time_ms now) {
  auto r = o.submit(json::parse(spec), now);
  std::string why = std::holds_alternative<druid::error>(r) ? std::get<druid::error>(r).message : "";
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<std::string>(r), why);
  return std::get<std::string>(r);
}

druid::error submit_error(druid::overlord& o, const std::string& spec) {
  auto r = o.submit(json::parse(spec), at("2020-02-01"));
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<druid::error>(r), spec);
  return std::get<druid::error>(r);
}

constexpr const char* seed_example = R"({
  "type": "compact",
  "dataSource": "wikipedia",
  "ioConfig": {"type": "compact", "inputSpec": {"type": "interval", "interval": "2020-01-01/2021-01-01"}},
  "granularitySpec": {"segmentGranularity": "day", "queryGranularity": "hour"}
})";

} // namespace

BOOST_AUTO_TEST_SUITE(sim_druid_overlord)

BOOST_AUTO_TEST_CASE(the_seed_manual_example_compacts_hours_into_days) {
  auto o = wikipedia();
  auto now = at("2020-02-01");
  auto id = submit_ok(o, seed_example, now);
  BOOST_TEST(id.starts_with("compact_wikipedia_"));
  BOOST_TEST(id.ends_with("_2020-02-01T00:00:00.000Z"));
  const auto* t = o.find(id);
  BOOST_TEST((t->state == task_state::running && t->runner == runner_state::waiting));
  auto started = o.step(now);
  BOOST_REQUIRE(started.size() == 1u);
  BOOST_TEST((t->runner == runner_state::running));
  BOOST_TEST(t->input_bytes == 72'000);
  BOOST_REQUIRE(t->worker >= 0); // its location: the worker's host and the peon's port
  BOOST_TEST(o.workers().at(std::size_t(t->worker)).host.starts_with("worker1:"));
  BOOST_TEST(t->port == 8100);
  BOOST_TEST(t->duration == -1);
  o.finish(id, started[0].finish_at);
  BOOST_TEST((t->state == task_state::success && t->runner == runner_state::none));
  BOOST_TEST(t->duration == started[0].finish_at - now);
  const auto& tl = *o.store().find("wikipedia");
  BOOST_REQUIRE(tl.segments.size() == 3u);
  for (const auto& s : tl.segments) {
    BOOST_TEST(s.span.duration() == 86'400'000);
    BOOST_TEST(s.rows == 2400); // rows conserved: no rollup configured
    BOOST_TEST(s.size == 24'000);
    BOOST_TEST(s.version > at("2020-01-05")); // overshadows the ingested version
    BOOST_TEST(s.state == 0u);                // manual tasks store no compaction state
    BOOST_TEST((tl.schema(s).query_granularity == granularity::hour));
  }
  BOOST_TEST(o.used_capacity() == 0);
}

BOOST_AUTO_TEST_CASE(an_interval_without_segments_is_accepted_then_fails_at_once) {
  auto o = wikipedia();
  auto now = at("2020-02-01");
  auto id = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia",
    "ioConfig": {"type": "compact", "inputSpec": {"type": "interval", "interval": "2019-01-01/2019-02-01"}}})", now);
  BOOST_TEST(o.step(now).empty());
  const auto* t = o.find(id);
  BOOST_TEST((t->state == task_state::failed && t->runner == runner_state::none));
  BOOST_TEST(t->error == "Encountered error[No segments found for compaction. Please check that datasource name and "
                         "interval are correct.] while waiting for task to be ready. See Overlord logs for more details.");
  BOOST_TEST(t->duration == 0);
  auto unknown = submit_ok(o, R"({"type": "compact", "dataSource": "nope", "interval": "2020-01-01/2020-01-02"})", now);
  o.step(now);
  BOOST_TEST((o.find(unknown)->state == task_state::failed));
}

BOOST_AUTO_TEST_CASE(specs_are_validated_as_compaction_task_does) {
  auto o = wikipedia();
  auto both = submit_error(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02",
    "ioConfig": {"type": "compact", "inputSpec": {"type": "interval", "interval": "2020-01-01/2020-01-02"}}})");
  BOOST_TEST(both.message.ends_with("problem: At most one of properties[[ioConfig, interval, segments]] must be present"));
  auto none = submit_error(o, R"({"type": "compact", "dataSource": "wikipedia"})");
  BOOST_TEST(none.message.ends_with("At least one of properties[[ioConfig, interval, segments]] must be present"));
  auto empty = submit_error(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-01"})");
  BOOST_TEST(empty.message.ends_with(
      "Interval[2020-01-01T00:00:00.000Z/2020-01-01T00:00:00.000Z] is empty, must specify a nonempty interval"));
  auto conflict = submit_error(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02",
    "segmentGranularity": "HOUR", "granularitySpec": {"segmentGranularity": "DAY"}})");
  BOOST_TEST(conflict.message.find("Conflicting segment granularities found HOUR(segmentGranularity) and "
                                   "DAY(granularitySpec.segmentGranularity).") != std::string::npos);
  BOOST_TEST(submit_error(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "yesterday"})")
                 .message.find("Invalid format: \"yesterday\"") != std::string::npos);
  BOOST_TEST(submit_error(o, R"({"dataSource": "wikipedia"})").message.find("missing type id property 'type'") !=
             std::string::npos);
  BOOST_TEST(submit_error(o, R"({"type": "compact", "interval": "2020-01-01/2020-01-02"})").message.ends_with("problem: dataSource"));
  auto slash = submit_error(o, R"({"type": "compact", "id": "a/b", "dataSource": "w", "interval": "2020-01-01/2020-01-02"})");
  // AbstractTask's constructor: IdUtils.validateId("task ID", id), inside Jackson's creator.
  BOOST_TEST((slash.kind == druid::error_kind::jackson));
  BOOST_TEST(slash.message == "Cannot construct instance of `org.apache.druid.indexing.common.task.CompactionTask`, "
                              "problem: Invalid value for field [task ID]: Value [a/b] cannot contain '/'.");
  auto id_error = [&](const std::string& id) {
    return submit_error(o, R"({"type": "compact", "id": )" + boost::json::serialize(boost::json::value(id)) +
                              R"(, "dataSource": "w", "interval": "2020-01-01/2020-01-02"})").message;
  };
  BOOST_TEST(id_error(".x").ends_with("Value [.x] cannot start with '.'."));
  BOOST_TEST(id_error("a\tb").ends_with("Value [a\tb] contains illegal whitespace characters.  Only space is allowed."));
  BOOST_TEST(id_error("a\x1e").ends_with("contains illegal UTF8 character [#30] at position [1]"));
  BOOST_TEST(id_error("\u00e9\u0085").ends_with("contains illegal UTF8 character [#133] at position [1]"));
  BOOST_TEST(id_error("x\U0001F600").ends_with("contains illegal UTF8 character [#55357] at position [1]")); // a surrogate: no emoji
  submit_ok(o, R"({"type": "compact", "id": "mine", "dataSource": "w", "interval": "2020-01-01/2020-01-02"})", 0);
  auto dup = submit_error(o, R"({"type": "compact", "id": "mine", "dataSource": "w", "interval": "2020-01-01/2020-01-02"})");
  BOOST_TEST((dup.kind == druid::error_kind::entry_exists));
  BOOST_TEST(dup.message == "Task[mine] already exists");
  BOOST_TEST(o.tasks().size() == 1u); // nothing else was created
}

BOOST_AUTO_TEST_CASE(locks_make_overlapping_tasks_wait_and_slots_make_others_pend) {
  auto o = wikipedia(1);
  auto now = at("2020-02-01");
  auto a = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02"})", now);
  auto b = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01T12/2020-01-03"})", now);
  auto c = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-03/2020-01-04"})", now);
  auto started = o.step(now);
  BOOST_REQUIRE(started.size() == 1u);
  BOOST_TEST(started[0].id == a);
  BOOST_TEST((o.find(b)->runner == runner_state::waiting)); // a holds the lock on 01-01
  BOOST_TEST((o.find(c)->runner == runner_state::pending)); // locked, but the one slot is taken
  BOOST_TEST(o.locks(now).size() == 2u);
  auto t1 = started[0].finish_at;
  o.finish(a, t1);
  started = o.step(t1);
  BOOST_REQUIRE(started.size() == 1u);
  BOOST_TEST(started[0].id == b); // first in the queue: now gets its lock and the slot
  BOOST_TEST((o.find(c)->runner == runner_state::pending));
  o.shutdown(c, t1 + 1); // a pending task gives its lock back
  BOOST_TEST((o.find(c)->state == task_state::failed));
  BOOST_TEST(o.find(c)->error == "Shutdown request from user");
  BOOST_TEST(o.locks(t1 + 1).size() == 1u);
  o.shutdown(b, t1 + 2);
  BOOST_TEST(o.used_capacity() == 0);
  o.shutdown(a, now); // complete: untouched
  BOOST_TEST((o.find(a)->state == task_state::success));
}

BOOST_AUTO_TEST_CASE(each_running_task_holds_its_own_peon_port) {
  auto o = wikipedia(4);
  auto now = at("2020-02-01");
  std::vector<std::string> ids;
  for (const char* day : {"2020-01-01/2020-01-02", "2020-01-02/2020-01-03", "2020-01-03/2020-01-04"})
    ids.push_back(submit_ok(o, std::string{R"({"type": "compact", "dataSource": "wikipedia", "interval": ")"} + day + R"("})", now));
  auto started = o.step(now);
  BOOST_REQUIRE(started.size() == 3u);
  BOOST_TEST(o.find(ids[0])->port == 8100);
  BOOST_TEST(o.find(ids[1])->port == 8101);
  BOOST_TEST(o.find(ids[2])->port == 8102);
  o.finish(ids[0], started[0].finish_at);
  auto next = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02"})",
                        started[0].finish_at);
  o.step(started[0].finish_at);
  BOOST_TEST(o.find(next)->port == 8100); // freed by the finished task
}

BOOST_AUTO_TEST_CASE(a_filter_drops_rows_and_drop_existing_leaves_tombstones) {
  auto o = wikipedia();
  druid::datasource_profile profile;
  profile.cardinality["channel"] = 10;
  o.set_profile("wikipedia", profile);
  auto now = at("2020-02-01");
  run_all(o, {json::parse(R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02",
    "granularitySpec": {"segmentGranularity": "DAY"},
    "transformSpec": {"filter": {"type": "selector", "dimension": "channel", "value": "#en.wikipedia"}}})").as_object()}, now);
  const auto* tl = o.store().find("wikipedia");
  BOOST_TEST(tl->segments.front().rows == 240); // a tenth of 2400
  BOOST_TEST(tl->segments.front().size == 2400);

  run_all(o, {json::parse(R"({"type": "compact", "dataSource": "wikipedia",
    "ioConfig": {"type": "compact", "inputSpec": {"type": "interval", "interval": "2020-01-02/2020-01-03"}, "dropExisting": true},
    "granularitySpec": {"segmentGranularity": "DAY"}, "transformSpec": {"filter": {"type": "false"}}})").as_object()}, now);
  tl = o.store().find("wikipedia");
  auto day2 = tl->overlapping({at("2020-01-02"), at("2020-01-03")});
  BOOST_REQUIRE(day2.size() == 1u);
  BOOST_TEST(day2[0]->tombstone);
  BOOST_TEST(day2[0]->rows == 0);
  BOOST_TEST(day2[0]->size == 1); // TombstoneHelper#createTombstoneForTimeChunkInterval: .size(1)
}

BOOST_AUTO_TEST_CASE(a_segments_spec_must_name_the_current_segments) {
  auto o = wikipedia();
  auto now = at("2020-02-01");
  const auto& tl = *o.store().find("wikipedia");
  auto first = druid::segment_id("wikipedia", tl.segments[0]);
  BOOST_TEST(first == "wikipedia_2020-01-01T00:00:00.000Z_2020-01-01T01:00:00.000Z_2020-01-05T00:00:00.000Z");
  auto ok = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "ioConfig": {"type": "compact",
    "inputSpec": {"type": "segments", "segments": [")" + first + R"("]}}})", now);
  auto stale = submit_ok(o, R"({"type": "compact", "dataSource": "wikipedia", "ioConfig": {"type": "compact",
    "inputSpec": {"type": "segments", "segments": ["wikipedia_2020-01-01T00:00:00.000Z_2020-01-01T01:00:00.000Z_v0"]}}})", now);
  o.step(now);
  BOOST_TEST((o.find(ok)->runner == runner_state::running));
  BOOST_TEST((o.find(stale)->state == task_state::failed));
  BOOST_TEST(o.find(stale)->error.find("Specified segments in the spec are different from the current used segments") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(ingestion_appends_partitions_to_the_chunk_that_holds_it) {
  druid::overlord o{{}, {{"w:8091", 2}}, 1};
  druid::interval hour{at("2020-01-01T05"), at("2020-01-01T06")};
  o.ingest("wiki", hour, 10, 100, wiki_schema, at("2020-01-01T05:10"));
  o.ingest("wiki", hour, 10, 100, wiki_schema, at("2020-01-01T05:20"));
  const auto* tl = o.store().find("wiki");
  BOOST_REQUIRE(tl->segments.size() == 2u);
  BOOST_TEST(tl->segments[1].partition == 1);
  BOOST_TEST(tl->segments[1].version == tl->segments[0].version);
  BOOST_TEST(druid::segment_id("wiki", tl->segments[1]).ends_with("_1"));
  run_all(o, {json::parse(R"({"type": "compact", "dataSource": "wiki", "interval": "2020-01-01/2020-01-02",
    "granularitySpec": {"segmentGranularity": "DAY"}})").as_object()}, at("2020-01-02"));
  o.ingest("wiki", {at("2020-01-01T07"), at("2020-01-01T08")}, 10, 100, wiki_schema, at("2020-01-02T01"));
  tl = o.store().find("wiki");
  BOOST_REQUIRE(tl->segments.size() == 2u); // joined the compacted DAY chunk
  BOOST_TEST(tl->segments[1].span.duration() == 86'400'000);
  BOOST_TEST(tl->segments[1].partition == 1);
}

BOOST_AUTO_TEST_SUITE_END()
