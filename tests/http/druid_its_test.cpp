// Druid's own integration tests (apache/druid integration-tests/,
// ITAutoCompactionTest and ITAutoCompactionLockContentionTest, through the
// CompactionResourceTestClient, CoordinatorResourceTestClient and
// OverlordResourceTestClient calls), replayed over HTTP against a real
// `compactsim serve` in Druid's order. The data the ITs ingest (an index
// task, a Kafka stream) is the cluster config's datasource and streaming
// workload here.

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include <boost/json.hpp>

#include "tests/http/process.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type{{"Content-Type", "application/json"}};

json::value get_json(std::uint16_t port, const std::string& target, unsigned expected = 200) {
  auto r = test::call(port, "GET", target);
  BOOST_REQUIRE_MESSAGE(r.status == expected, "GET " << target << ": " << r.status << " " << r.body);
  return r.body.empty() ? json::value{} : json::parse(r.body);
}

/// AbstractIndexerTest#waitForAllTasksToCompleteForDataSource: until no
/// task of the datasource is pending, running or waiting.
void wait_for_all_tasks(std::uint16_t router, const std::string& ds) {
  for (int i = 0; i < 300; ++i) {
    std::size_t open = 0;
    for (const char* state : {"pending", "running", "waiting"})
      open += get_json(router, std::string{"/druid/indexer/v1/tasks?state="} + state + "&datasource=" + ds).as_array().size();
    if (open == 0)
      return;
    test::sleep_ms(100);
  }
  BOOST_FAIL("tasks of " << ds << " never completed");
}

/// CoordinatorResourceTestClient#areSegmentsLoaded.
bool segments_loaded(std::uint16_t router, const std::string& ds) {
  auto r = test::call(router, "GET", "/druid/coordinator/v1/datasources/" + ds +
                                       "/loadstatus?forceMetadataRefresh=true&interval=1970-01-01/2999-01-01");
  return r.status == 200 && json::parse(r.body).at(ds).as_double() == 100.0;
}

/// The metadata store's segments of `ds` (ids, or full DataSegments).
json::array metadata_segments(std::uint16_t router, const std::string& ds, bool full = false) {
  return get_json(router, "/druid/coordinator/v1/metadata/datasources/" + ds + "/segments" + (full ? "?full" : ""))
    .as_array();
}

/// The intervals of the segments that carry lastCompactionState, each with
/// DynamicPartitionsSpec(maxRows, Long.MAX_VALUE) (verifySegmentsCompacted).
std::set<std::string> compacted_intervals(std::uint16_t router, const std::string& ds, std::int64_t max_rows) {
  std::set<std::string> out;
  for (const auto& s : metadata_segments(router, ds, true)) {
    const auto& o = s.as_object();
    if (!o.contains("lastCompactionState"))
      continue;
    const auto& p = o.at("lastCompactionState").at("partitionsSpec");
    BOOST_TEST(p.at("type").as_string() == "dynamic");
    BOOST_TEST(p.at("maxRowsPerSegment").as_int64() == max_rows);
    BOOST_TEST(p.at("maxTotalRows").as_int64() == INT64_MAX);
    // AbstractBatchIndexTask#addCompactionStateToSegments stores no transformSpec
    // when the task had none (TransformSpec.NONE).
    BOOST_TEST(o.at("lastCompactionState").at("transformSpec").is_null());
    // ... and the data schema the task derived from its inputs: their
    // dimensions as string DimensionSchemas in `new DimensionsSpec(dims)`,
    // their metrics as the combining aggregators (CompactionTask#createMetricsSpec).
    const auto& dims = o.at("lastCompactionState").at("dimensionsSpec").as_object();
    BOOST_TEST(dims.at("dimensionExclusions").as_array().empty());
    BOOST_TEST(dims.at("includeAllDimensions").as_bool() == false);
    const auto& first = dims.at("dimensions").at(0);
    BOOST_TEST(json::serialize(first) ==
               R"({"type":"string","name":")" + std::string{first.at("name").as_string()} +
                 R"(","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true})");
    for (const auto& m : o.at("lastCompactionState").at("metricsSpec").as_array()) {
      BOOST_TEST(m.at("type").as_string() == "longSum");
      BOOST_TEST(m.at("fieldName") == m.at("name"));
    }
    out.insert(std::string{o.at("interval").as_string()});
  }
  return out;
}

std::string compaction_config(const std::string& ds, const std::string& skip_offset) {
  return R"({"dataSource": ")" + ds + R"(", "skipOffsetFromLatest": ")" + skip_offset + R"(",
             "tuningConfig": {"partitionsSpec": {"type": "dynamic", "maxRowsPerSegment": 10000},
                              "splitHintSpec": {"type": "maxSize", "maxNumFiles": 1},
                              "maxNumConcurrentSubTasks": 1, "totalNumMergeTasks": 1},
             "granularitySpec": {"segmentGranularity": "DAY"}})";
}

/// submitCompactionConfig: POST, then both GETs must show it.
void submit_compaction_config(std::uint16_t router, const std::string& ds, const std::string& skip_offset) {
  auto post = test::call(router, "POST", "/druid/coordinator/v1/config/compaction", compaction_config(ds, skip_offset),
                         json_type);
  BOOST_REQUIRE_EQUAL(post.status, 200u);
  BOOST_TEST(post.body.empty());
  auto all = get_json(router, "/druid/coordinator/v1/config/compaction");
  bool found = false;
  for (const auto& c : all.at("compactionConfigs").as_array())
    if (c.at("dataSource").as_string() == ds) {
      found = true;
      BOOST_TEST(c.at("skipOffsetFromLatest").as_string() == skip_offset);
      BOOST_TEST(c.at("tuningConfig").at("partitionsSpec").at("maxRowsPerSegment").as_int64() == 10000);
    }
  BOOST_TEST(found);
  get_json(router, "/druid/coordinator/v1/config/compaction/" + ds);
}

/// forceTriggerAutoCompaction: run the duty, wait for its tasks and for the
/// segments to load, then count the metadata store's segments.
void force_trigger_auto_compaction(std::uint16_t router, const std::string& ds, std::size_t expected_segments) {
  auto run = test::call(router, "POST", "/druid/coordinator/v1/compaction/compact");
  BOOST_REQUIRE_EQUAL(run.status, 200u);
  wait_for_all_tasks(router, ds);
  BOOST_TEST(segments_loaded(router, ds));
  // verifySegmentsCount retries (ITRetryUtil.retryUntilTrue): the tasks
  // are submitted and published asynchronously.
  std::size_t count = 0;
  for (int i = 0; i < 200 && (count = metadata_segments(router, ds).size()) != expected_segments; ++i) {
    test::sleep_ms(100);
    wait_for_all_tasks(router, ds);
  }
  BOOST_TEST(count == expected_segments);
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_druid_its)

// ITAutoCompactionTest#testAutoCompactionDutySubmitAndVerifyCompaction: two
// days of hourly segments compact into days, the newest day first skipped
// (skipOffsetFromLatest P1D), then compacted too (PT0S).
BOOST_AUTO_TEST_CASE(it_auto_compaction_duty_submit_and_verify_compaction) {
  const std::string ds = "wikipedia_index_test";
  test::serve_process c{R"({"doris": {"backends": 1, "tables": [], "workloads": []},
                          "druid": {"workers": [{"host": "mm-0:8091", "capacity": 4}, {"host": "mm-1:8091", "capacity": 4}],
                                    "datasources": [{"name": "wikipedia_index_test", "granularity": "HOUR",
                                                     "interval": "2013-08-31/2013-09-02", "rows_per_segment": 100,
                                                     "bytes_per_segment": 10000}],
                                    "workloads": []}})", 1, 50};
  auto router = c.druid();
  // loadData: the segments are there and loaded.
  BOOST_TEST(segments_loaded(router, ds));
  auto intervals = get_json(router, "/druid/coordinator/v1/datasources/" + ds + "/intervals").as_array();
  BOOST_TEST(intervals.size() == 48u);
  BOOST_TEST(intervals.at(0).as_string() == "2013-09-01T23:00:00.000Z/2013-09-02T00:00:00.000Z"); // newest first
  BOOST_TEST(metadata_segments(router, ds).size() == 48u);
  // No duty run has seen the datasource yet: 404 {"error":"unknown dataSource"}.
  auto before = test::call(router, "GET", "/druid/coordinator/v1/compaction/status?dataSource=" + ds);
  BOOST_TEST(before.status == 404u);
  BOOST_TEST(before.body == R"({"error":"unknown dataSource"})");
  // setup(): updateCompactionTaskSlot(0.5, 10) with no body and no Content-Type.
  BOOST_REQUIRE_EQUAL(test::call(router, "POST", "/druid/coordinator/v1/config/compaction/taskslots?ratio=0.5&max=10").status, 200u);
  auto slots = get_json(router, "/druid/coordinator/v1/config/compaction");
  BOOST_TEST(slots.at("compactionTaskSlotRatio").as_double() == 0.5);
  BOOST_TEST(slots.at("maxCompactionTaskSlots").as_int64() == 10);

  submit_compaction_config(router, ds, "P1D");
  force_trigger_auto_compaction(router, ds, 1 + 24); // the first day is one segment, the last day still hourly
  auto first = compacted_intervals(router, ds, 10000);
  BOOST_TEST(first == (std::set<std::string>{"2013-08-31T00:00:00.000Z/2013-09-01T00:00:00.000Z"}));
  auto status = get_json(router, "/druid/coordinator/v1/compaction/status?dataSource=" + ds).at("latestStatus").at(0);
  BOOST_TEST(status.at("scheduleStatus").as_string() == "RUNNING");
  BOOST_TEST(status.at("bytesAwaitingCompaction").as_int64() == 0);
  BOOST_TEST(status.at("segmentCountSkipped").as_int64() == 24); // the last day, skipped by the offset
  BOOST_TEST(status.at("intervalCountSkipped").as_int64() == 24);

  submit_compaction_config(router, ds, "PT0S");
  force_trigger_auto_compaction(router, ds, 2);
  BOOST_TEST(compacted_intervals(router, ds, 10000).size() == 2u);
  auto after = get_json(router, "/druid/coordinator/v1/compaction/status?dataSource=" + ds).at("latestStatus").at(0);
  BOOST_TEST(after.at("segmentCountSkipped").as_int64() == 0);
  BOOST_TEST(after.at("bytesAwaitingCompaction").as_int64() == 0);
  // Every compaction task succeeded.
  auto complete = get_json(router, "/druid/indexer/v1/tasks?state=complete&datasource=" + ds);
  BOOST_TEST(!complete.as_array().empty());
  for (const auto& t : complete.as_array())
    BOOST_TEST(t.at("status").as_string() == "SUCCESS");
}

// ITAutoCompactionLockContentionTest#testAutoCompactionSkipsLockedIntervals:
// a stream holds the lock of the hour it writes; the duty skips that hour
// and nothing fails; once the stream has moved on, the hour compacts.
// (A live serve's simulated time starts at the wall clock; at speed 600 the
// stream moves to the next hour within seconds.)
BOOST_AUTO_TEST_CASE(it_auto_compaction_skips_locked_intervals) {
  const std::string ds = "wiki_stream";
  test::serve_process c{R"({"doris": {"backends": 1, "tables": [], "workloads": []},
                          "druid": {"workers": [{"host": "mm-0:8091", "capacity": 4}],
                                    "datasources": [{"name": "wiki_stream", "granularity": "HOUR", "recent": "PT3H",
                                                     "partitions": 2, "bytes_per_segment": 10000}],
                                    "workloads": [{"datasource": "wiki_stream", "granularity": "HOUR",
                                                   "segments_per_minute": 1, "bytes_per_segment": 1000}]}})", 1, 600};
  auto router = c.druid();
  auto locked = [&] {
    auto r = test::call(router, "POST", "/druid/indexer/v1/lockedIntervals", R"({")" + ds + R"(": 0})", json_type);
    BOOST_REQUIRE_EQUAL(r.status, 200u);
    auto v = json::parse(r.body);
    std::set<std::string> out;
    if (v.as_object().contains(ds))
      for (const auto& i : v.at(ds).as_array())
        out.insert(std::string{i.as_string()});
    return out;
  };
  // ensureLockedIntervals: the stream's hour, once it has written.
  std::set<std::string> held;
  for (int i = 0; i < 100 && (held = locked()).empty(); ++i)
    test::sleep_ms(100);
  BOOST_REQUIRE(!held.empty());
  const auto locked_hour = *held.begin();
  // The v2 filter the duty sends: one policy per config, at its taskPriority (25).
  auto v2 = test::call(router, "POST", "/druid/indexer/v1/lockedIntervals/v2",
                       R"([{"datasource": ")" + ds + R"(", "priority": 25, "context": {}}])", json_type);
  BOOST_TEST(json::parse(v2.body).at(ds).as_array().size() >= 1u);
  // Above the stream's priority, nothing is locked.
  auto high = test::call(router, "POST", "/druid/indexer/v1/lockedIntervals", R"({")" + ds + R"(": 76})", json_type);
  BOOST_TEST(high.body == "{}");

  BOOST_REQUIRE_EQUAL(test::call(router, "POST", "/druid/coordinator/v1/config/compaction/taskslots?ratio=0.5&max=10").status, 200u);
  auto post = test::call(router, "POST", "/druid/coordinator/v1/config/compaction",
                         R"({"dataSource": ")" + ds + R"(", "skipOffsetFromLatest": "PT0S",
                             "tuningConfig": {"partitionsSpec": {"type": "dynamic", "maxRowsPerSegment": 10000}},
                             "ioConfig": {"dropExisting": true}})", json_type);
  BOOST_REQUIRE_EQUAL(post.status, 200u);
  auto before = locked();
  BOOST_REQUIRE_EQUAL(test::call(router, "POST", "/druid/coordinator/v1/compaction/compact").status, 200u);
  auto after = locked();
  wait_for_all_tasks(router, ds);
  // The older hours compact; an hour locked throughout the run is skipped.
  auto first = compacted_intervals(router, ds, 10000);
  BOOST_TEST(first.size() >= 2u);
  for (const auto& h : before)
    if (after.contains(h))
      BOOST_TEST(!first.contains(h), h << " was compacted while the stream held it");

  // The stream moves on; its lock on the hour lapses after its publish.
  for (int i = 0; i < 150 && locked().contains(locked_hour); ++i)
    test::sleep_ms(100);
  BOOST_REQUIRE(!locked().contains(locked_hour));
  BOOST_REQUIRE_EQUAL(test::call(router, "POST", "/druid/coordinator/v1/compaction/compact").status, 200u);
  bool done = false;
  for (int i = 0; i < 100 && !done; ++i) {
    wait_for_all_tasks(router, ds);
    done = compacted_intervals(router, ds, 10000).contains(locked_hour);
    if (!done)
      test::sleep_ms(100);
  }
  BOOST_TEST(done);
  // Nothing failed: the stream never had to revoke a compaction's lock.
  auto complete = get_json(router, "/druid/indexer/v1/tasks?state=complete&datasource=" + ds);
  BOOST_TEST(complete.as_array().size() >= 3u);
  for (const auto& t : complete.as_array())
    BOOST_TEST(t.at("status").as_string() == "SUCCESS");
}

// What Jersey and the resources answer to bad input; the state stays as it was.
BOOST_AUTO_TEST_CASE(bad_inputs_are_answered_as_druid_does) {
  test::serve_process c{R"({"doris": {"backends": 1, "tables": [], "workloads": []}})", 1, 1};
  auto router = c.druid();
  const std::string cfg = R"({"dataSource": "wikipedia_hour"})";
  // @Consumes(APPLICATION_JSON): another media type is a 415 before the resource runs.
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    auto r = test::call(router, "POST", "/druid/coordinator/v1/config/compaction", cfg, {{"Content-Type", type}});
    BOOST_TEST(r.status == 415u, type);
    BOOST_TEST(r.body.find("HTTP ERROR 415 Unsupported Media Type") != std::string::npos);
    auto task = test::call(router, "POST", "/druid/indexer/v1/task",
                           R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02"})",
                           {{"Content-Type", type}});
    BOOST_TEST(task.status == 415u, type);
  }
  BOOST_TEST(get_json(router, "/druid/coordinator/v1/config/compaction").at("compactionConfigs").as_array().empty());
  BOOST_TEST(get_json(router, "/druid/indexer/v1/tasks").as_array().empty());
  // OverlordResource: no datasource or no filter is a 400 with a bare text entity.
  auto v1 = test::call(router, "POST", "/druid/indexer/v1/lockedIntervals", "{}", json_type);
  BOOST_TEST(v1.status == 400u);
  BOOST_TEST(v1.body == "No Datasource provided");
  auto v2 = test::call(router, "POST", "/druid/indexer/v1/lockedIntervals/v2", "[]", json_type);
  BOOST_TEST(v2.status == 400u);
  BOOST_TEST(v2.body == "No filter provided");
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/lockedIntervals", "{", json_type).status == 500u);
  // MetadataResource: an unknown datasource is a 404; DataSourcesResource a 204.
  BOOST_TEST(test::call(router, "GET", "/druid/coordinator/v1/metadata/datasources/nope/segments").status == 404u);
  BOOST_TEST(test::call(router, "GET", "/druid/coordinator/v1/datasources/nope/intervals").status == 204u);
  auto load = test::call(router, "GET", "/druid/coordinator/v1/datasources/wikipedia/loadstatus");
  BOOST_TEST(load.status == 400u);
  BOOST_TEST(load.body == "Invalid request. forceMetadataRefresh must be specified");
  auto names = get_json(router, "/druid/coordinator/v1/metadata/datasources").as_array();
  BOOST_TEST(names.size() >= 2u);
  BOOST_TEST(names.at(0).as_string() < names.at(1).as_string()); // a TreeSet
}

// Druid 31's compaction simulator over a real socket, replaying
// CompactionRunSimulatorTest#testSimulateClusterCompactionConfigUpdate's
// cluster (10 DAY intervals x 10 segments of 100 MB from 2013-01-01, a
// config naming only the datasource) through
// CoordinatorCompactionResource#simulateWithClusterConfigUpdate, then the
// overlord's compaction resource with supervisors disabled, then bad
// bodies: each answered as Druid 31 does, and nothing submitted or changed.
BOOST_AUTO_TEST_CASE(druid31_simulate_lists_the_intervals_a_run_would_compact_and_submits_nothing) {
  const std::string ds = "wiki";
  test::serve_process c{R"({"doris": {"backends": 1, "tables": [], "workloads": []},
                          "druid": {"version": 31, "knobs": {"start_delay": "PT86400S"},
                                    "workers": [{"host": "mm-0:8091", "capacity": 1}],
                                    "datasources": [{"name": "wiki", "granularity": "DAY",
                                                     "interval": "2013-01-01/2013-01-11", "partitions": 10,
                                                     "bytes_per_segment": 100000000}],
                                    "workloads": []}})", 1, 1};
  auto router = c.druid();
  auto simulate = [&](const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers = json_type) {
    return test::call(router, "POST", "/druid/coordinator/v1/compaction/simulate", body, headers);
  };
  // No datasource config yet: DruidCoordinatorTest#testSimulateRunWithEmptyDatasourceCompactionConfigs.
  auto none = simulate(R"({"compactionTaskSlotRatio": 0.2})");
  BOOST_TEST(none.status == 200u);
  BOOST_TEST(none.body == R"({"compactionStates":{}})");

  auto post = test::call(router, "POST", "/druid/coordinator/v1/config/compaction", R"({"dataSource": "wiki"})", json_type);
  BOOST_REQUIRE_EQUAL(post.status, 200u);
  auto config_before = test::call(router, "GET", "/druid/coordinator/v1/config/compaction").body;

  auto r = simulate("{}");
  BOOST_REQUIRE_EQUAL(r.status, 200u);
  BOOST_TEST(r.content_type == "application/json");
  std::string pending;
  for (int day = 9; day >= 1; --day) {
    auto d = [](int n) { return std::string{"2013-01-"} + (n < 10 ? "0" : "") + std::to_string(n); };
    pending += std::string{pending.empty() ? "" : ","} + R"([")" + ds + R"(",")" + d(day) + "T00:00:00.000Z/" + d(day + 1) +
               R"(T00:00:00.000Z",10,1000000000,1,"not compacted yet"])";
  }
  BOOST_TEST(r.body ==
             R"({"compactionStates":{"PENDING":{"columnNames":["dataSource","interval","numSegments","bytes","maxTaskSlots","reasonToCompact"],"rows":[)" +
               pending +
               R"(]},"SKIPPED":{"columnNames":["dataSource","interval","numSegments","bytes","reasonToSkip"],"rows":[["wiki","2013-01-10T00:00:00.000Z/2013-01-11T00:00:00.000Z",10,1000000000,"skip offset from latest[P1D]"]]}}})");
  // The policy's priority datasource is read; an unknown one changes nothing here.
  auto with_policy = simulate(R"({"compactionPolicy": {"type": "newestSegmentFirst", "priorityDatasource": "other"}})");
  BOOST_TEST(with_policy.status == 200u);
  BOOST_TEST(with_policy.body == r.body);

  // Bad bodies. @Consumes(APPLICATION_JSON): 415 before the resource runs.
  BOOST_TEST(simulate("{}", {{"Content-Type", "text/plain"}}).status == 415u);
  auto array = simulate("[]");
  BOOST_TEST(array.status == 400u);
  BOOST_TEST(array.body == R"x({"error":"Cannot deserialize value of type `org.apache.druid.server.coordinator.ClusterCompactionConfig` from Array value (token `JsonToken.START_ARRAY`)\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: 1, column: 1]"})x");
  auto ratio = simulate(R"({"compactionTaskSlotRatio": "lots"})");
  BOOST_TEST(ratio.status == 400u);
  BOOST_TEST(ratio.body.find("Cannot deserialize value of type `java.lang.Double` from String \\\"lots\\\"") != std::string::npos,
             ratio.body);
  auto policy = simulate(R"({"compactionPolicy": {"type": "oldestFirst"}})");
  BOOST_TEST(policy.status == 400u);
  BOOST_TEST(policy.body.find("known type ids = [newestSegmentFirst] (for POJO property 'compactionPolicy')") !=
               std::string::npos,
             policy.body);
  // jackson-jaxrs maps an empty body to a null payload, which
  // DruidCompactionConfig#withClusterConfig dereferences: Jetty's 500 page.
  auto empty = simulate("");
  BOOST_TEST(empty.status == 500u);
  BOOST_TEST(empty.body.find("java.lang.NullPointerException") != std::string::npos, empty.body);
  // Not JSON at all: JsonParseException, which no mapper takes: Jetty's 500.
  BOOST_TEST(simulate("{").status == 500u);

  // Nothing was submitted, and the configs are as they were.
  BOOST_TEST(get_json(router, "/druid/indexer/v1/tasks").as_array().empty());
  BOOST_TEST(test::call(router, "GET", "/druid/coordinator/v1/config/compaction").body == config_before);
  BOOST_TEST(metadata_segments(router, ds).size() == 100u);

  // OverlordCompactionResource with druid.supervisor.compaction.enabled=false:
  // the scheduler is not running, so its simulation is empty, even for a null payload.
  auto overlord = test::call(router, "POST", "/druid/indexer/v1/compaction/simulate", "{}", json_type);
  BOOST_TEST(overlord.status == 200u);
  BOOST_TEST(overlord.body == R"({"compactionStates":{}})");
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/compaction/simulate", "", json_type).status == 200u);
  auto enabled = test::call(router, "GET", "/druid/indexer/v1/compaction/isSupervisorEnabled");
  BOOST_TEST(enabled.status == 200u);
  BOOST_TEST(enabled.body == "false");
  auto status = test::call(router, "GET", "/druid/indexer/v1/compaction/status");
  BOOST_TEST(status.status == 501u);
  BOOST_TEST(status.body == R"({"error":"druidException","errorCode":"general","persona":"USER","category":"UNSUPPORTED","errorMessage":"Compaction Supervisors are disabled on the Overlord. Use Coordinator APIs to fetch compaction status.","context":{}})");
}

// Druid 31's compaction supervisors over a real socket
// (druid.supervisor.compaction.enabled=true): an autocompact spec through
// SupervisorResource#specPost, OverlordCompactionScheduler compacting every
// 5 s without the coordinator's duty, CoordinatorCompactionResource reading
// the overlord's status (isCompactionSupervisorEnabled), suspend and resume
// (possiblySuspendOrResumeSupervisorInternal), terminate with its
// NoopSupervisorSpec tombstone, and the cluster compaction config with its
// compactionPolicy (CoordinatorCompactionConfigsResource#updateClusterCompactionConfig).
BOOST_AUTO_TEST_CASE(druid31_compaction_supervisors_compact_on_the_overlord) {
  test::serve_process c{R"({"doris": {"backends": 1, "tables": [], "workloads": []},
                          "druid": {"version": 31, "compaction_supervisors": true,
                                    "knobs": {"start_delay": "PT60S", "indexing_period": "PT60S"},
                                    "workers": [{"host": "mm-0:8091", "capacity": 4}],
                                    "datasources": [{"name": "wiki", "granularity": "HOUR",
                                                     "interval": "2013-01-01/2013-01-03", "partitions": 1,
                                                     "bytes_per_segment": 1000}],
                                    "workloads": []}})", 1, 100};
  auto router = c.druid();
  BOOST_TEST(test::call(router, "GET", "/druid/indexer/v1/compaction/isSupervisorEnabled").body == "true");
  BOOST_TEST(test::call(router, "GET", "/druid/indexer/v1/supervisor").body == "[]");
  // The coordinator asks the overlord, which knows no datasource yet: Druid 31's NotFound.
  auto unknown = test::call(router, "GET", "/druid/coordinator/v1/compaction/status?dataSource=wiki");
  BOOST_TEST(unknown.status == 404u);
  BOOST_TEST(unknown.body == R"({"error":"druidException","errorCode":"notFound","persona":"USER","category":"NOT_FOUND","errorMessage":"Unknown DataSource","context":{}})");
  auto no_ds = test::call(router, "GET", "/druid/indexer/v1/compaction/progress");
  BOOST_TEST(no_ds.status == 400u);
  BOOST_TEST(no_ds.body.find("No DataSource specified") != std::string::npos, no_ds.body);

  // Bad specs, each refused with nothing created.
  auto kafka = test::call(router, "POST", "/druid/indexer/v1/supervisor", R"({"type": "kafka", "spec": {}})", json_type);
  BOOST_TEST(kafka.status == 400u);
  BOOST_TEST(kafka.body.find("known type ids = [NoopSupervisorSpec, autocompact]") != std::string::npos, kafka.body);
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/supervisor", R"({"type": "autocompact"})",
                        {{"Content-Type", "text/plain"}}).status == 415u);
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/supervisor", R"({"type": "autocompact"})", json_type).status ==
             500u);
  BOOST_TEST(test::call(router, "GET", "/druid/indexer/v1/supervisor").body == "[]");

  const std::string spec = R"({"type": "autocompact", "spec": {"dataSource": "wiki", "skipOffsetFromLatest": "PT0S",
                                 "granularitySpec": {"segmentGranularity": "DAY"}}})";
  auto post = test::call(router, "POST", "/druid/indexer/v1/supervisor", spec, json_type);
  BOOST_REQUIRE_EQUAL(post.status, 200u);
  BOOST_TEST(post.body == R"({"id":"autocompact__wiki"})");
  BOOST_TEST(test::call(router, "GET", "/druid/indexer/v1/supervisor").body == R"(["autocompact__wiki"])");
  auto got = get_json(router, "/druid/indexer/v1/supervisor/autocompact__wiki");
  BOOST_TEST(got.at("type").as_string() == "autocompact");
  BOOST_TEST(got.at("suspended").as_bool() == false);
  BOOST_TEST(got.at("spec").at("granularitySpec").at("segmentGranularity").as_string() == "DAY");

  // The scheduler compacts both days into DAY segments; the coordinator's own
  // configs stay empty and its duty never ran.
  std::size_t count = 0;
  for (int i = 0; i < 300 && (count = metadata_segments(router, "wiki").size()) != 2; ++i) {
    test::sleep_ms(100);
    wait_for_all_tasks(router, "wiki");
  }
  BOOST_TEST(count == 2u);
  auto tasks = get_json(router, "/druid/indexer/v1/tasks?state=complete").as_array();
  BOOST_TEST(tasks.size() == 2u);
  for (const auto& t : tasks)
    BOOST_TEST(t.at("id").as_string().starts_with("coordinator-issued_compact_wiki_"));
  BOOST_TEST(get_json(router, "/druid/coordinator/v1/config/compaction").at("compactionConfigs").as_array().empty());
  json::value status;
  for (int i = 0; i < 100; ++i) {
    status = get_json(router, "/druid/coordinator/v1/compaction/status?dataSource=wiki");
    if (status.at("latestStatus").at(0).at("intervalCountCompacted").as_int64() == 2)
      break;
    test::sleep_ms(100);
  }
  auto snap = status.at("latestStatus").at(0).as_object();
  BOOST_TEST(snap.at("scheduleStatus").as_string() == "RUNNING");
  BOOST_TEST(snap.at("message").is_null());
  BOOST_TEST(snap.at("intervalCountCompacted").as_int64() == 2);
  BOOST_TEST(snap.at("bytesAwaitingCompaction").as_int64() == 0);
  auto progress = get_json(router, "/druid/indexer/v1/compaction/progress?dataSource=wiki");
  BOOST_TEST(progress.at("remainingSegmentSize").as_int64() == 0);
  auto report = get_json(router, "/druid/indexer/v1/supervisor/autocompact__wiki/status");
  BOOST_TEST(report.at("id").as_string() == "autocompact__wiki");
  BOOST_TEST(report.at("payload").at("intervalCountCompacted").as_int64() == 2);

  // Suspend: the spec comes back suspended, the report is NOT_ENABLED, a
  // second suspend is refused; ?state=true leaves suspended false (specGetAll
  // sets it for ?system only).
  auto suspended = test::call(router, "POST", "/druid/indexer/v1/supervisor/autocompact__wiki/suspend");
  BOOST_TEST(suspended.status == 200u);
  BOOST_TEST(json::parse(suspended.body).at("suspended").as_bool());
  auto again = test::call(router, "POST", "/druid/indexer/v1/supervisor/autocompact__wiki/suspend");
  BOOST_TEST(again.status == 400u);
  BOOST_TEST(again.body == R"({"error":"[autocompact__wiki] is already suspended"})");
  BOOST_TEST(get_json(router, "/druid/indexer/v1/supervisor/autocompact__wiki/status").at("payload").at("scheduleStatus")
               .as_string() == "NOT_ENABLED");
  BOOST_TEST(test::call(router, "GET", "/druid/indexer/v1/supervisor?state=true").body ==
             R"([{"id":"autocompact__wiki","state":"SUSPENDED","detailedState":"SUSPENDED","healthy":true,"suspended":false}])");
  auto system = get_json(router, "/druid/indexer/v1/supervisor?system").as_array();
  BOOST_TEST(system.at(0).at("suspended").as_bool());
  BOOST_TEST(system.at(0).at("type").as_string() == "autocompact");
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/supervisor/autocompact__wiki/resume").status == 200u);

  // Terminate: gone, with a tombstone at the head of its history.
  auto terminated = test::call(router, "POST", "/druid/indexer/v1/supervisor/autocompact__wiki/terminate");
  BOOST_TEST(terminated.body == R"({"id":"autocompact__wiki"})");
  auto gone = test::call(router, "GET", "/druid/indexer/v1/supervisor/autocompact__wiki");
  BOOST_TEST(gone.status == 404u);
  // SupervisorResourceFilter answers an unknown id before the resource runs.
  BOOST_TEST(gone.body == "Cannot find any supervisor with id: [autocompact__wiki]");
  BOOST_TEST(test::call(router, "POST", "/druid/indexer/v1/supervisor/autocompact__wiki/terminate").status == 404u);
  // A bad config inside a spec: Jackson's chain starts at the spec's property.
  auto bad_spec = test::call(router, "POST", "/druid/indexer/v1/supervisor",
                             R"({"type": "autocompact", "spec": {"dataSource": "wiki", "taskPriority": "high"}})", json_type);
  BOOST_TEST(bad_spec.status == 400u);
  BOOST_TEST(bad_spec.body.find(R"(line: 1, column: 72] (through reference chain: org.apache.druid.indexing.compact.CompactionSupervisorSpec[\"spec\"]->org.apache.druid.server.coordinator.DataSourceCompactionConfig[\"taskPriority\"]))") !=
               std::string::npos,
             bad_spec.body);
  auto history = test::call(router, "GET", "/druid/indexer/v1/supervisor/autocompact__wiki/history");
  BOOST_TEST(history.status == 200u);
  BOOST_TEST(history.body.starts_with(R"([{"spec":{"type":"NoopSupervisorSpec","id":null,"dataSources":["wiki"],)"),
             history.body);
  BOOST_TEST(history.body.find(R"("suspended":true})") != std::string::npos);
  auto none = test::call(router, "GET", "/druid/indexer/v1/supervisor/autocompact__other/history");
  BOOST_TEST(none.status == 404u);
  BOOST_TEST(none.body == R"({"error":"No history for [autocompact__other]."})");

  // The cluster compaction config: a policy posted is in the config and its history.
  auto cluster = test::call(router, "POST", "/druid/coordinator/v1/config/compaction/cluster",
                            R"({"maxCompactionTaskSlots": 3, "compactionPolicy": {"type": "newestSegmentFirst", "priorityDatasource": "wiki"}})",
                            json_type);
  BOOST_TEST(cluster.status == 200u);
  BOOST_TEST(test::call(router, "GET", "/druid/coordinator/v1/config/compaction").body ==
             R"({"compactionConfigs":[],"compactionTaskSlotRatio":0.1,"maxCompactionTaskSlots":3,"useAutoScaleSlots":false,"compactionPolicy":{"type":"newestSegmentFirst","priorityDatasource":"wiki"}})");
  // An empty body: the NPE is caught as {"error"}, but the method has no
  // @Produces, so only an Accept naming JSON gets it written (untyped_entity).
  auto with_accept = json_type;
  with_accept.emplace_back("Accept", "application/json");
  auto empty = test::call(router, "POST", "/druid/coordinator/v1/config/compaction/cluster", "", with_accept);
  BOOST_TEST(empty.status == 500u);
  BOOST_TEST(empty.body.find("because \\\"update\\\" is null") != std::string::npos, empty.body);
  auto curl_empty = test::call(router, "POST", "/druid/coordinator/v1/config/compaction/cluster", "", json_type);
  BOOST_TEST(curl_empty.status == 500u);
  BOOST_TEST(curl_empty.body.empty());
  auto bad_policy = test::call(router, "POST", "/druid/coordinator/v1/config/compaction/cluster",
                               R"({"compactionPolicy": {"type": "oldestFirst"}})", json_type);
  BOOST_TEST(bad_policy.status == 400u);
  BOOST_TEST(get_json(router, "/druid/coordinator/v1/config/compaction").at("maxCompactionTaskSlots").as_int64() == 3);
}

BOOST_AUTO_TEST_SUITE_END()
