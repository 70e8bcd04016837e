// The Druid router's API through its route table, against the whole cluster
// on the deterministic scheduler: every endpoint of the seeds, their errors,
// and that bad requests change nothing.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "sim/cluster_config.hpp"
#include "http/druid/jackson_location.hpp"
#include "http/druid/router_api.hpp"
#include "http/json_format.hpp"
#include "tests/actors/fixture.hpp"
#include "tests/http/route_call.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

constexpr const char* cfg_path = "/druid/coordinator/v1/config/compaction";

/// The seed's POST example, verbatim.
constexpr const char* seed_config = R"({
    "dataSource": "wikipedia_hour",
    "skipOffsetFromLatest": "PT0S",
    "tuningConfig": {
        "partitionsSpec": {
            "type": "dynamic"
        },
        "type": "index_parallel"
    },
    "granularitySpec": {
        "segmentGranularity": "DAY"
    }
})";

/// The seed's manual compaction task, verbatim.
constexpr const char* seed_task = R"({
  "type": "compact",
  "dataSource": "wikipedia",
  "ioConfig": {
    "type": "compact",
    "inputSpec": {
      "type": "interval",
      "interval": "2020-01-01/2021-01-01"
    }
  },
  "granularitySpec": {
    "segmentGranularity": "day",
    "queryGranularity": "hour"
  }
})";

struct druid_fixture : test::cluster_fixture {
  http::route_table routes;

  druid_fixture() : test::cluster_fixture(config()), routes(http::make_druid_routes(*druid)) {}

  static sim::cluster_config config() {
    auto cfg = sim::default_cluster();
    cfg.doris.workloads.clear();
    cfg.druid.workloads.clear();
    return cfg;
  }

  http::response call(std::string method, std::string target, std::string body = {},
                      std::vector<http::header> headers = {}) {
    http::request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    req.headers = std::move(headers);
    req.remote_address = "10.1.2.3";
    return test::route_call(routes, *time, req);
  }

  /// With Accept: application/json, as the web console sends (an untyped
  /// error entity needs it: see untyped_entity).
  json::value call_json(std::string method, std::string target, unsigned status = 200, std::string body = {}) {
    auto r = call(std::move(method), std::move(target), std::move(body), {{"Accept", "application/json"}});
    BOOST_TEST(r.status == status);
    BOOST_TEST(r.content_type == "application/json");
    return json::parse(r.body);
  }
};

void expect_empty(const http::response& r, unsigned status) {
  BOOST_TEST(r.status == status);
  BOOST_TEST(r.body.empty());
}

/// An error without an entity: Jersey 1's WebComponent.Writer#finish calls
/// sendError, and Jetty's ErrorHandler writes an HTML page for it.
void expect_jetty_page(const http::response& r, unsigned status, const std::string& message) {
  BOOST_TEST(r.status == status);
  BOOST_TEST(r.content_type == "text/html;charset=iso-8859-1");
  BOOST_TEST(r.body.find("<h2>HTTP ERROR " + std::to_string(status) + " " + message + "</h2>") != std::string::npos,
             r.body);
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_druid_api)

BOOST_AUTO_TEST_CASE(the_seed_config_round_trips_in_the_documented_shape) {
  druid_fixture f;
  auto empty = f.call("GET", cfg_path);
  BOOST_TEST(empty.body ==
             R"({"compactionConfigs":[],"compactionTaskSlotRatio":0.1,"maxCompactionTaskSlots":2147483647,"useAutoScaleSlots":false})");
  expect_empty(f.call("POST", cfg_path, seed_config), 200);
  auto got = f.call("GET", std::string{cfg_path} + "/wikipedia_hour");
  BOOST_TEST(got.status == 200u);
  // The seed's GET sample, with Jackson's compact spacing.
  BOOST_TEST(got.body ==
             http::jackson_json(json::parse(R"({"dataSource": "wikipedia_hour", "taskPriority": 25,
    "inputSegmentSizeBytes": 100000000000000, "maxRowsPerSegment": null, "skipOffsetFromLatest": "PT0S",
    "tuningConfig": {"maxRowsInMemory": null, "appendableIndexSpec": null, "maxBytesInMemory": null, "maxTotalRows": null,
      "splitHintSpec": null, "partitionsSpec": {"type": "dynamic", "maxRowsPerSegment": 5000000, "maxTotalRows": null},
      "indexSpec": null, "indexSpecForIntermediatePersists": null, "maxPendingPersists": null, "pushTimeout": null,
      "segmentWriteOutMediumFactory": null, "maxNumConcurrentSubTasks": null, "maxRetry": null,
      "taskStatusCheckPeriodMs": null, "chatHandlerTimeout": null, "chatHandlerNumRetries": null,
      "maxNumSegmentsToMerge": null, "totalNumMergeTasks": null, "maxColumnsToMerge": null, "type": "index_parallel",
      "forceGuaranteedRollup": false},
    "granularitySpec": {"segmentGranularity": "DAY", "queryGranularity": null, "rollup": null},
    "dimensionsSpec": null, "metricsSpec": null, "transformSpec": null, "ioConfig": null, "taskContext": null})")));
  expect_empty(f.call("POST", cfg_path, R"({"dataSource": "wikipedia"})"), 200);
  auto all = f.call_json("GET", cfg_path);
  BOOST_TEST(all.at("compactionConfigs").at(0).at("dataSource").as_string() == "wikipedia_hour");
  BOOST_TEST(all.at("compactionConfigs").at(1).at("dataSource").as_string() == "wikipedia");

  expect_empty(f.call("POST", std::string{cfg_path} + "/taskslots?ratio=0.2&max=250000"), 200);
  auto slots = f.call_json("GET", cfg_path);
  BOOST_TEST(slots.at("compactionTaskSlotRatio").as_double() == 0.2);
  BOOST_TEST(slots.at("maxCompactionTaskSlots").as_int64() == 250000);

  expect_empty(f.call("DELETE", std::string{cfg_path} + "/wikipedia_hour"), 200);
  expect_jetty_page(f.call("GET", std::string{cfg_path} + "/wikipedia_hour"), 404, "Not Found");
  expect_jetty_page(f.call("DELETE", std::string{cfg_path} + "/wikipedia_hour"), 404, "Not Found");
}

BOOST_AUTO_TEST_CASE(history_names_the_author_and_rejects_bad_counts) {
  druid_fixture f;
  auto r = f.call("POST", cfg_path, seed_config, {{"X-Druid-Author", "alice"}, {"X-Druid-Comment", "daily segments"}});
  BOOST_TEST(r.status == 200u);
  f.call("POST", cfg_path, seed_config); // no change: no history entry
  auto history = f.call_json("GET", std::string{cfg_path} + "/wikipedia_hour/history");
  BOOST_REQUIRE(history.as_array().size() == 1u);
  const auto& entry = history.at(0);
  BOOST_TEST(entry.at("auditInfo").at("author").as_string() == "alice");
  BOOST_TEST(entry.at("auditInfo").at("comment").as_string() == "daily segments");
  BOOST_TEST(entry.at("auditInfo").at("ip").as_string() == "10.1.2.3");
  BOOST_TEST(entry.at("globalConfig").at("compactionTaskSlotRatio").as_double() == 0.1);
  BOOST_TEST(entry.at("compactionConfig").at("skipOffsetFromLatest").as_string() == "PT0S");
  BOOST_TEST(std::string{entry.at("auditTime").as_string()}.ends_with("Z"));
  BOOST_TEST(f.call_json("GET", std::string{cfg_path} + "/nobody/history").as_array().empty());
  BOOST_TEST(f.call_json("GET", std::string{cfg_path} + "/wikipedia_hour/history?count=1").as_array().size() == 1u);
  auto zero = f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?count=0");
  BOOST_TEST(zero.status == 400u);
  BOOST_TEST(zero.body == R"({"error":"Limit must be greater than zero!"})");
  expect_jetty_page(f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?count=abc"), 404, "Not Found");
  expect_jetty_page(f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?count=1.5"), 404, "Not Found");
  // getCompactionConfigHistory: Intervals.of runs before the try block and
  // throws a DruidException nothing maps, so Jetty answers 500 with its page.
  expect_jetty_page(f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?interval=yesterday"), 500,
                    "org.apache.druid.error.DruidException: Invalid interval[yesterday]: "
                    "[Format requires a &apos;/&apos; separator: yesterday]");
  expect_jetty_page(f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?interval=2024-01-02/2024-01-01"),
                    500, "org.apache.druid.error.DruidException: Invalid interval[2024-01-02/2024-01-01]: "
                         "[The end instant must be greater than the start instant]");
  // A count below 1 is ignored when an interval is given (the interval branch runs).
  BOOST_TEST(f.call("GET", std::string{cfg_path} + "/wikipedia_hour/history?count=0&interval=2000/3000").status == 200u);
}

// setCompactionTaskLimit: ratio is a @QueryParam Double and max an Integer,
// converted by Double.valueOf and Integer.valueOf; what converts is stored
// with no range check (CoordinatorCompactionConfig.from), and GET prints a
// non-finite ratio quoted, as Jackson does by default.
BOOST_AUTO_TEST_CASE(taskslots_takes_what_java_converts_and_404s_the_rest) {
  druid_fixture f;
  const std::string slots = std::string{cfg_path} + "/taskslots";
  auto ratio_after = [&](const std::string& query) {
    auto r = f.call("POST", slots + "?" + query);
    BOOST_TEST(r.status == 200u, query);
    BOOST_TEST(r.body.empty());
    return f.call_json("GET", cfg_path).at("compactionTaskSlotRatio");
  };
  BOOST_TEST(ratio_after("ratio=NaN") == json::value("NaN"));
  BOOST_TEST(ratio_after("ratio=Infinity") == json::value("Infinity"));
  BOOST_TEST(ratio_after("ratio=-Infinity") == json::value("-Infinity"));
  BOOST_TEST(ratio_after("ratio=1e400") == json::value("Infinity"));
  BOOST_TEST(ratio_after("ratio=-1").as_double() == -1.0);
  BOOST_TEST(ratio_after("ratio=0x1p3").as_double() == 8.0);
  BOOST_TEST(ratio_after("ratio=1d").as_double() == 1.0);
  BOOST_TEST(ratio_after("ratio=%200.5%20").as_double() == 0.5);
  for (const std::string bad : {"ratio=abc", "ratio=nan", "ratio=inf", "ratio=", "ratio=1e", "ratio=0x10", "max=abc",
                                "max=1.5", "max=2147483648", "max=", "max=%205", "max=--5"})
    expect_jetty_page(f.call("POST", slots + "?" + bad), 404, "Not Found");
  // '+' in a query string is a space ("max=+5" is " 5", a 404); %2B is a plus.
  expect_jetty_page(f.call("POST", slots + "?max=+5"), 404, "Not Found");
  BOOST_TEST(f.call("POST", slots + "?max=%2B5").status == 200u);
  BOOST_TEST(f.call_json("GET", cfg_path).at("maxCompactionTaskSlots").as_int64() == 5);
  BOOST_TEST(f.call("POST", slots + "?max=-1").status == 200u);
  BOOST_TEST(f.call_json("GET", cfg_path).at("maxCompactionTaskSlots").as_int64() == -1);
  // Posting NaN twice is one change: Double.compare(NaN, NaN) == 0, so the
  // second finds the config equal and writes no audit entry.
  BOOST_TEST(f.call("POST", cfg_path, seed_config).status == 200u);
  const std::string history = std::string{cfg_path} + "/wikipedia_hour/history";
  const auto before = f.call_json("GET", history).as_array().size();
  BOOST_TEST(f.call("POST", slots + "?ratio=NaN").status == 200u);
  BOOST_TEST(f.call("POST", slots + "?ratio=NaN").status == 200u);
  BOOST_TEST(f.call_json("GET", history).as_array().size() == before + 1);
}

BOOST_AUTO_TEST_CASE(status_and_progress_follow_the_duty) {
  druid_fixture f;
  BOOST_TEST(f.call("GET", "/druid/coordinator/v1/compaction/status").body == R"({"latestStatus":[]})");
  auto unknown = f.call("GET", "/druid/coordinator/v1/compaction/progress?dataSource=wikipedia_hour");
  BOOST_TEST(unknown.status == 404u);
  BOOST_TEST(unknown.body == R"({"error":"unknown dataSource"})");
  f.call("POST", cfg_path, seed_config);
  f.call("POST", cfg_path, R"({"dataSource": "wikipedia_api"})");
  expect_empty(f.call("POST", "/druid/coordinator/v1/compaction/compact"), 200);
  auto status = f.call_json("GET", "/druid/coordinator/v1/compaction/status");
  const auto& list = status.at("latestStatus").as_array();
  BOOST_REQUIRE(list.size() == 2u);
  // The seed's sample: wikipedia_api's one day of 8 segments is inside P1D, all skipped.
  BOOST_TEST(list[0].at("dataSource").as_string() == "wikipedia_api");
  BOOST_TEST(list[0].at("bytesSkipped").as_int64() == 64133616);
  BOOST_TEST(list[0].at("segmentCountSkipped").as_int64() == 8);
  BOOST_TEST(list[0].at("intervalCountSkipped").as_int64() == 1);
  BOOST_TEST(list[1].at("dataSource").as_string() == "wikipedia_hour");
  BOOST_TEST(list[1].as_object().size() == 11u);
  auto progress = f.call_json("GET", "/druid/coordinator/v1/compaction/progress?dataSource=wikipedia_hour");
  BOOST_TEST(progress.at("remainingSegmentSize").as_int64() == list[1].at("bytesAwaitingCompaction").as_int64());
  auto one = f.call_json("GET", "/druid/coordinator/v1/compaction/status?dataSource=wikipedia_hour");
  BOOST_TEST(one.at("latestStatus").as_array().size() == 1u);
  auto nope = f.call("GET", "/druid/coordinator/v1/compaction/status?dataSource=nope");
  BOOST_TEST(nope.status == 404u);
  BOOST_TEST(nope.body == R"({"error":"unknown dataSource"})");
  // The run submitted one task (8 slots x 0.1 -> at least one).
  auto tasks = f.call_json("GET", "/druid/indexer/v1/tasks");
  BOOST_REQUIRE(tasks.as_array().size() == 1u);
  BOOST_TEST(std::string{tasks.at(0).at("id").as_string()}.starts_with("coordinator-issued_compact_wikipedia_hour_"));
}

BOOST_AUTO_TEST_CASE(duty_runs_asked_for_together_do_not_overlap) {
  druid_fixture f;
  f.call("POST", cfg_path, seed_config);
  // Two compaction runs asked for at once: the second sees the first's task
  // as busy (one slot) instead of submitting the same interval again.
  std::vector<std::optional<http::response>> out(2);
  for (auto& o : out) {
    http::request req;
    req.method = "POST";
    req.target = "/druid/coordinator/v1/compaction/compact";
    f.routes.dispatch(req, [&o](http::response r) { o = std::move(r); });
  }
  for (int i = 0; i < 100 && !(out[0] && out[1]); ++i)
    f.time->run_for(std::chrono::milliseconds{10});
  BOOST_REQUIRE(out[0].has_value());
  BOOST_REQUIRE(out[1].has_value());
  BOOST_TEST(f.call_json("GET", "/druid/indexer/v1/tasks").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_seed_manual_task_runs_to_success) {
  druid_fixture f;
  auto submitted = f.call_json("POST", "/druid/indexer/v1/task", 200, seed_task);
  std::string id{submitted.at("task").as_string()};
  BOOST_TEST(id.starts_with("compact_wikipedia_"));
  auto running = f.call_json("GET", "/druid/indexer/v1/task/" + id + "/status");
  BOOST_TEST(running.at("task").as_string() == id);
  const auto& s = running.at("status");
  for (const char* key : {"id", "groupId", "type", "createdTime", "queueInsertionTime", "statusCode", "status",
                          "runnerStatusCode", "duration", "location", "dataSource", "errorMsg"})
    BOOST_TEST(s.as_object().contains(key), key);
  BOOST_TEST(s.at("statusCode").as_string() == "RUNNING");
  BOOST_TEST(s.at("runnerStatusCode").as_string() == "RUNNING");
  BOOST_TEST(s.at("duration").as_int64() == -1);
  // OverlordResource#getTaskStatus: EPOCH ("the TaskStorage API doesn't yet
  // allow it"); the task list takes the runner work item's time.
  BOOST_TEST(s.at("queueInsertionTime").as_string() == "1970-01-01T00:00:00.000Z");
  auto listed = f.call_json("GET", "/druid/indexer/v1/tasks?state=running");
  BOOST_TEST(listed.as_array().size() == 1u);
  BOOST_TEST(listed.at(0).at("queueInsertionTime").as_string() != "1970-01-01T00:00:00.000Z");
  BOOST_TEST(listed.at(0).at("queueInsertionTime").as_string() >= s.at("createdTime").as_string());
  auto capacity = f.call_json("GET", "/druid/indexer/v1/totalWorkerCapacity");
  BOOST_TEST(capacity.at("currentClusterCapacity").as_int64() == 8);
  BOOST_TEST(capacity.at("usedClusterCapacity").as_int64() == 1);
  f.time->run_for(std::chrono::minutes{2}); // 2.2 GB at 64 MiB/s
  auto done = f.call_json("GET", "/druid/indexer/v1/task/" + id + "/status").at("status");
  BOOST_TEST(done.at("statusCode").as_string() == "SUCCESS");
  BOOST_TEST(done.at("runnerStatusCode").as_string() == "NONE");
  BOOST_TEST(done.at("duration").as_int64() > 0);
  auto segments = f.call_json("GET", "/druid/coordinator/v1/datasources/wikipedia/segments");
  BOOST_TEST(segments.as_array().size() == 366u); // the hours of 2020 became days
  auto full = f.call_json("GET", "/druid/coordinator/v1/datasources/wikipedia/segments?full");
  BOOST_TEST(full.at(0).at("interval").as_string() == "2020-01-01T00:00:00.000Z/2020-01-02T00:00:00.000Z");
  // DataSegment omits a null lastCompactionState (NON_NULL), and served segments never carry it.
  BOOST_TEST(!full.at(0).as_object().contains("lastCompactionState"));
  auto meta = f.call_json("GET", "/druid/coordinator/v1/metadata/datasources/wikipedia/segments?full");
  BOOST_TEST(meta.as_array().size() == 366u);
  BOOST_TEST(!meta.at(0).as_object().contains("lastCompactionState")); // manual: storeCompactionState unset
  auto payload = f.call_json("GET", "/druid/indexer/v1/task/" + id);
  BOOST_TEST(payload.at("payload").at("dataSource").as_string() == "wikipedia");
  BOOST_TEST(f.call_json("GET", "/druid/indexer/v1/tasks?state=complete").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(task_errors_are_druids_and_change_nothing) {
  druid_fixture f;
  auto empty_interval = f.call_json("POST", "/druid/indexer/v1/task", 400,
                                    R"({"type": "compact", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-01"})");
  // CompactionTask's creator fails at the object's end: Jackson's location is its closing brace.
  BOOST_TEST(std::string{empty_interval.at("error").as_string()}.ends_with(
      "Interval[2020-01-01T00:00:00.000Z/2020-01-01T00:00:00.000Z] is empty, must specify a nonempty interval"
      "\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: 1, column: 83]"));
  // The task's ioConfig needs its type id, "compact" (CompactionIOConfig under
  // IOConfig's @JsonTypeInfo); Jackson's text, as Druid 30 answers it.
  for (const std::string id : {R"("bogus")", "5"}) {
    auto bad_io = f.call_json("POST", "/druid/indexer/v1/task", 400,
                              R"({"type": "compact", "dataSource": "wikipedia", "ioConfig": {"type": )" + id +
                                R"(, "inputSpec": {"type": "interval", "interval": "2020-01-01/2020-01-02"}}})");
    const std::string bare = id == "5" ? "5" : "bogus";
    BOOST_TEST(std::string{bad_io.at("error").as_string()} ==
               "Please make sure to load all the necessary extensions and jars with type '" + bare +
                 "' on 'druid/overlord' service. Could not resolve type id '" + bare +
                 "' as a subtype of `org.apache.druid.indexing.common.task.CompactionIOConfig` known type ids = "
                 "[compact, realtime] (for POJO property 'ioConfig')");
  }
  auto untyped_io = f.call_json("POST", "/druid/indexer/v1/task", 400,
                                R"({"type": "compact", "dataSource": "wikipedia", "ioConfig": {"inputSpec": {}}})");
  BOOST_TEST(std::string{untyped_io.at("error").as_string()}.starts_with(
    "Could not resolve subtype of [simple type, class org.apache.druid.indexing.common.task.CompactionIOConfig]: "
    "missing type id property 'type'"));
  // Truncated JSON: the end of input comes in the bean's field loop, not in
  // a property's value, so the JsonEOFException stays unwrapped and unmapped.
  expect_jetty_page(f.call("POST", "/druid/indexer/v1/task", R"({"type": "compact", )"), 500, "Server Error");
  f.call("POST", "/druid/indexer/v1/task", R"({"type": "compact", "id": "t1", "dataSource": "wikipedia", "interval": "2019-01-01/2019-01-02"})");
  auto dup = f.call_json("POST", "/druid/indexer/v1/task", 400,
                         R"({"type": "compact", "id": "t1", "dataSource": "wikipedia", "interval": "2020-01-01/2020-01-02"})");
  BOOST_TEST(dup.at("errorCode").as_string() == "entryAlreadyExists");
  BOOST_TEST(dup.at("errorMessage").as_string() == "Task[t1] already exists");
  BOOST_TEST(dup.at("category").as_string() == "INVALID_INPUT");
  // t1's interval holds no segments: accepted, then failed at once.
  auto failed = f.call_json("GET", "/druid/indexer/v1/task/t1/status").at("status");
  BOOST_TEST(failed.at("statusCode").as_string() == "FAILED");
  BOOST_TEST(std::string{failed.at("errorMsg").as_string()}.starts_with("Encountered error[No segments found for compaction."));
  auto missing = f.call("GET", "/druid/indexer/v1/task/none/status");
  BOOST_TEST(missing.status == 404u);
  BOOST_TEST(missing.body == R"({"task":"none","status":null})");
  BOOST_TEST(f.call("POST", "/druid/indexer/v1/task/none/shutdown").body == R"({"task":"none"})");
  auto state = f.call("GET", "/druid/indexer/v1/tasks?state=bogus");
  BOOST_TEST(state.status == 400u);
  BOOST_TEST(state.body == "Invalid state : bogus, valid values are: [pending, waiting, running, complete]");
  expect_jetty_page(f.call("PUT", "/druid/indexer/v1/task"), 405, "Method Not Allowed");
  BOOST_TEST(f.call("GET", "/druid/nothing/here").status == 404u);
  auto bad_config = f.call_json("POST", cfg_path, 400, R"({"dataSource": "w", "taskPriority": "high"})");
  BOOST_TEST(std::string{bad_config.at("error").as_string()}.find("taskPriority") != std::string::npos);
  f.call_json("POST", cfg_path, 400, R"({"skipOffsetFromLatest": "P1D"})");
  f.call_json("POST", cfg_path, 400, R"({"dataSource": "w", "skipOffsetFromLatest": "one day"})");
  f.call_json("POST", cfg_path, 400, R"({"dataSource": "w", "granularitySpec": {"segmentGranularity": "decade"}})");
  // Not JSON at all: JsonParseException, which nothing maps: Jetty's 500 page.
  expect_jetty_page(f.call("POST", cfg_path, "not json"), 500, "Server Error");
  // Druid 30's CustomExceptionMapper sets no type and the config POST has no
  // @Produces: with curl's Accept: */* (or none) Jersey finds no writer and
  // answers 500 with nothing (apache/druid#9042, fixed in 31 by #17016).
  for (const char* accept : {"*/*", ""}) {
    std::vector<http::header> headers;
    if (*accept)
      headers.push_back({"Accept", accept});
    expect_empty(f.call("POST", cfg_path, R"({"dataSource": "w", "taskPriority": "high"})", headers), 500);
    // A null payload's NPE, caught as {"error": ...}, meets the same writer.
    expect_empty(f.call("POST", cfg_path, "", headers), 500);
  }
  // Jackson's messages carry where its parser stood (JsonParser#getTokenLocation):
  // a creator's failure at the object's closing brace, a value of the wrong
  // shape at its start, counted in bytes from 1 on its line.
  auto no_ds = f.call_json("POST", cfg_path, 400, "{}");
  BOOST_TEST(no_ds.at("error").as_string() ==
             "Cannot construct instance of `org.apache.druid.server.coordinator.DataSourceCompactionConfig`, problem: "
             "dataSource\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: 1, column: 2]");
  auto priority = f.call_json("POST", cfg_path, 400, "{\"dataSource\": \"w\",\n  \"taskPriority\": \"high\"}");
  auto text = std::string{priority.at("error").as_string()};
  BOOST_TEST(text.find("\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: 2, column: 19] (through "
                       "reference chain: org.apache.druid.server.coordinator.DataSourceCompactionConfig[\"taskPriority\"])") !=
               std::string::npos,
             text);
  auto npe = f.call_json("POST", cfg_path, 500, "");
  BOOST_TEST(npe.at("error").as_string() ==
             "Cannot invoke \"org.apache.druid.server.coordinator.DataSourceCompactionConfig.getDataSource()\" because "
             "\"newConfig\" is null");
  expect_jetty_page(f.call("POST", std::string{cfg_path} + "/taskslots?max=1.5"), 404, "Not Found");
  // Nothing changed: no configs, default slots, only t1 exists.
  BOOST_TEST(f.call("GET", cfg_path).body ==
             R"({"compactionConfigs":[],"compactionTaskSlotRatio":0.1,"maxCompactionTaskSlots":2147483647,"useAutoScaleSlots":false})");
  BOOST_TEST(f.call_json("GET", "/druid/indexer/v1/tasks").as_array().size() == 1u);
  BOOST_TEST(f.call("GET", "/status/health").body == "true");
}

// What Druid 30 accepts stays accepted: DataSourceCompactionConfig checks
// only that dataSource is not null, UserCompactionTaskQueryTuningConfig
// skips an incoming "type" (a read-only getter), and Joda reads "P-1D".
// HashedPartitionsSpec's constructor is where refusals come from.
BOOST_AUTO_TEST_CASE(configs_druid_accepts_are_accepted_and_hashed_specs_are_checked_as_druid_does) {
  druid_fixture f;
  for (const char* body : {R"({"dataSource": ""})", R"({"dataSource": "w", "inputSegmentSizeBytes": -1})",
                           R"({"dataSource": "w", "maxRowsPerSegment": -5})",
                           R"({"dataSource": "w", "skipOffsetFromLatest": "P-1D"})",
                           R"({"dataSource": "w", "tuningConfig": {"type": 0}})",
                           R"({"dataSource": "w", "tuningConfig": {"type": []}})",
                           R"({"dataSource": "w", "taskPriority": -5})",
                           R"({"dataSource": "w", "tuningConfig": {"partitionsSpec": {"type": "hashed", "numShards": -1}}})"})
    expect_empty(f.call("POST", cfg_path, body), 200);
  const std::string where = " (through reference chain: org.apache.druid.server.coordinator.DataSourceCompactionConfig"
                            "[\"tuningConfig\"]->org.apache.druid.server.coordinator.UserCompactionTaskQueryTuningConfig"
                            "[\"partitionsSpec\"])";
  const std::string problem = "Cannot construct instance of `org.apache.druid.indexer.partitions.HashedPartitionsSpec`, problem: ";
  auto refused = [&](const std::string& spec) {
    const auto before = f.call("GET", cfg_path).body;
    auto v = f.call_json("POST", cfg_path, 400, R"({"dataSource": "h", "tuningConfig": {"partitionsSpec": )" + spec + "}}");
    BOOST_TEST(f.call("GET", cfg_path).body == before); // nothing stored
    return std::string{v.at("error").as_string()};
  };
  // HashedPartitionsSpec's creator fails at the spec's closing brace, which
  // ends the spec in the body: Jackson's location, then the chain.
  auto at_end_of = [](const std::string& spec) {
    const std::string prefix = R"({"dataSource": "h", "tuningConfig": {"partitionsSpec": )";
    return "\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: 1, column: " +
           std::to_string(prefix.size() + spec.size()) + "]";
  };
  auto check = [&](const std::string& spec, const std::string& text) {
    BOOST_TEST(refused(spec) == problem + text + at_end_of(spec) + where);
  };
  check(R"({"type": "hashed", "numShards": 0})", "numShards[0] should be positive");
  check(R"({"type": "hashed", "targetRowsPerSegment": 0})", "targetRowsPerSegment[0] should be positive");
  check(R"({"type": "hashed", "numShards": 4, "targetRowsPerSegment": 1000})",
        "At most one of [Property{name='targetRowsPerSegment', value=1000}] or "
        "[Property{name='numShards', value=4}] must be present");
  check(R"({"type": "hashed", "maxRowsPerSegment": 10, "targetRowsPerSegment": 1000})",
        "At most one of [Property{name='targetRowsPerSegment', value=1000}] or "
        "[Property{name='maxRowsPerSegment', value=10}] must be present");
}

// Granularities and periods as Jackson reads them in Druid 30: a
// {"type": "period"} object that equals a standard granularity is printed
// back by its name (PeriodGranularity#serialize); "all" comes back as
// {"type": "all"}; an integer skipOffsetFromLatest is new Period(millis),
// time fields only. Periods no standard granularity has are refused: the
// model's buckets are the standard ones (a documented departure).
BOOST_AUTO_TEST_CASE(granularity_objects_and_millisecond_periods_read_as_jackson_does) {
  druid_fixture f;
  auto stored = [&](const std::string& fields) {
    auto r = f.call("POST", cfg_path, R"({"dataSource": "g", )" + fields + "}");
    BOOST_TEST(r.status == 200u, fields << ": " << r.body);
    return f.call_json("GET", std::string{cfg_path} + "/g");
  };
  auto segment_granularity = [&](const std::string& g) {
    return stored(R"("granularitySpec": {"segmentGranularity": )" + g + "}").at("granularitySpec").at("segmentGranularity");
  };
  BOOST_TEST(segment_granularity(R"({"type": "period", "period": "P1D"})") == json::value("DAY"));
  BOOST_TEST(segment_granularity(R"({"type": "period", "period": "PT1H", "timeZone": "UTC"})") == json::value("HOUR"));
  BOOST_TEST(segment_granularity(R"({"type": "period", "period": "P3M"})") == json::value("QUARTER"));
  BOOST_TEST(segment_granularity(R"("fifteen_minute")") == json::value("FIFTEEN_MINUTE"));
  BOOST_TEST(segment_granularity(R"("all")") == json::parse(R"({"type": "all"})"));
  BOOST_TEST(segment_granularity(R"({"type": "all"})") == json::parse(R"({"type": "all"})"));
  auto refused = [&](const std::string& g) {
    return std::string{f.call_json("POST", cfg_path, 400,
                                   R"({"dataSource": "g", "granularitySpec": {"segmentGranularity": )" + g + "}}")
                         .at("error").as_string()};
  };
  // A granularity's deserializer fails inside granularitySpec: the
  // location, then the chain to the property.
  const std::string gran_chain = " (through reference chain: org.apache.druid.server.coordinator.DataSourceCompactionConfig"
                                 "[\"granularitySpec\"]->org.apache.druid.server.coordinator.UserCompactionTaskGranularityConfig"
                                 "[\"segmentGranularity\"])";
  BOOST_TEST(refused(R"({"type": "period", "period": "P0D"})") ==
             "Cannot construct instance of `org.apache.druid.java.util.common.granularity.PeriodGranularity`, problem: "
             "zero period is not acceptable in PeriodGranularity!\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); "
             "line: 1, column: 97]" + gran_chain);
  BOOST_TEST(refused(R"({"kind": "period"})").find(
    "(although at least one Creator exists): cannot deserialize from Object value (no delegate- or property-based Creator)") !=
    std::string::npos);
  // A delegating creator fails on its string: the location is the string's start.
  BOOST_TEST(refused(R"("PT4H")") ==
             "Cannot construct instance of `org.apache.druid.java.util.common.granularity.Granularity`, problem: No enum "
             "constant org.apache.druid.java.util.common.granularity.GranularityType.PT4H\n at [Source: "
             "(org.eclipse.jetty.server.HttpInputOverHTTP); line: 1, column: 63]" + gran_chain);
  // A period no GranularityType has is a PeriodGranularity, written back as
  // PeriodGranularity#serialize does (an object; a standard one is its name).
  BOOST_TEST(segment_granularity(R"({"type": "period", "period": "PT4H"})") ==
             json::parse(R"({"type": "period", "period": "PT4H", "timeZone": "UTC", "origin": null})"));
  BOOST_TEST(segment_granularity(R"({"type": "period", "period": "P2M", "timeZone": "UTC"})") ==
             json::parse(R"({"type": "period", "period": "P2M", "timeZone": "UTC", "origin": null})"));
  BOOST_TEST(refused(R"({"type": "period", "period": "PT4H", "timeZone": "America/Los_Angeles"})")
               .starts_with("compactsim models granularities in UTC from the epoch only"));
  BOOST_TEST(refused(R"({"type": "period", "period": "P1M2D"})").starts_with("compactsim models granularities in UTC"));
  auto offset = [&](const std::string& v) {
    return stored(R"("skipOffsetFromLatest": )" + v).at("skipOffsetFromLatest");
  };
  BOOST_TEST(offset("3600000") == json::value("PT1H"));
  BOOST_TEST(offset("86400000") == json::value("PT24H"));
  BOOST_TEST(offset("5400000") == json::value("PT1H30M"));
  BOOST_TEST(offset(R"("")") == json::value("P1D"));
  BOOST_TEST(offset(R"("pt1h")") == json::value("PT1H"));
  auto digits = f.call_json("POST", cfg_path, 400, R"({"dataSource": "g", "skipOffsetFromLatest": "3600000"})");
  BOOST_TEST(std::string{digits.at("error").as_string()}.find(R"(Invalid format: "3600000")") != std::string::npos);
}

// Druid 30 has no compaction simulator: the path is Jetty's 404, as any
// path no resource serves (the version-31 route table has it).
BOOST_AUTO_TEST_CASE(druid30_has_no_compaction_simulator) {
  druid_fixture f;
  expect_jetty_page(f.call("POST", "/druid/coordinator/v1/compaction/simulate", "{}",
                           {{"Content-Type", "application/json"}}),
                    404, "Not Found");
  expect_jetty_page(f.call("GET", "/druid/indexer/v1/compaction/isSupervisorEnabled"), 404, "Not Found");
  // Druid 30 has no autocompact supervisors and no cluster compaction config;
  // its config has no compactionPolicy and its status no message.
  expect_jetty_page(f.call("POST", "/druid/indexer/v1/supervisor", R"({"type": "autocompact", "spec": {"dataSource": "w"}})",
                           {{"Content-Type", "application/json"}}),
                    404, "Not Found");
  // (.../config/compaction/cluster is the {dataSource} path, which has no POST: JAX-RS's 405.)
  expect_jetty_page(f.call("POST", "/druid/coordinator/v1/config/compaction/cluster", "{}",
                           {{"Content-Type", "application/json"}}),
                    405, "Method Not Allowed");
  auto config = f.call("GET", "/druid/coordinator/v1/config/compaction");
  BOOST_TEST(config.body.find("compactionPolicy") == std::string::npos, config.body);
  auto v31 = http::make_druid_routes(*f.druid, 31);
  http::request req;
  req.method = "GET";
  req.target = "/druid/indexer/v1/compaction/isSupervisorEnabled";
  req.remote_address = "10.1.2.3";
  BOOST_TEST(test::route_call(v31, *f.time, req).body == "false");
}

// JsonMappingException#getMessage: the problem, "\n at " + JsonLocation, then
// the reference chain; the location is JsonParser#getTokenLocation's, in bytes
// from 1 on each line.
BOOST_AUTO_TEST_CASE(jackson_locations_point_where_its_parser_stood) {
  const std::string loc = "\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); ";
  const std::string body = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": {\"d\": 1\n  }\n}";
  // A value of the wrong shape: its first byte (line 2, the "x").
  BOOST_TEST(http::with_jackson_location(body, R"(Cannot deserialize value of type `int` from String "x" (through reference chain: A["a"]->java.util.ArrayList[1]->B["b"]))") ==
             R"(Cannot deserialize value of type `int` from String "x")" + loc +
               R"(line: 2, column: 18] (through reference chain: A["a"]->java.util.ArrayList[1]->B["b"]))");
  // A creator's failure: the object's closing brace (line 4).
  BOOST_TEST(http::with_jackson_location(body, R"(Cannot construct instance of `C`, problem: d (through reference chain: A["c"]))") ==
             "Cannot construct instance of `C`, problem: d" + loc + R"(line: 4, column: 3] (through reference chain: A["c"]))");
  // No chain: the root; at its end for a creator.
  BOOST_TEST(http::with_jackson_location("{}", "Cannot construct instance of `A`, problem: x") ==
             "Cannot construct instance of `A`, problem: x" + loc + "line: 1, column: 2]");
  // Other messages, an unknown path and a body that is not JSON stay as they are.
  BOOST_TEST(http::with_jackson_location(body, "Cannot specify a column more than once") == "Cannot specify a column more than once");
  BOOST_TEST(http::with_jackson_location(body, R"(Cannot deserialize value of type `int` (through reference chain: A["zz"]))") ==
             R"(Cannot deserialize value of type `int` (through reference chain: A["zz"]))");
  BOOST_TEST(http::with_jackson_location("{\"a\": ", R"(Cannot deserialize value of type `int` (through reference chain: A["a"]))") ==
             R"(Cannot deserialize value of type `int` (through reference chain: A["a"]))");
}

BOOST_AUTO_TEST_SUITE_END()
