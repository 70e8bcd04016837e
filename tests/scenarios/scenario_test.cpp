//! scenarios/scenario: the file format, its errors, durations and swarm ranges.

#include <boost/test/unit_test.hpp>

#include <set>

#include "scenarios/scenario.hpp"

using namespace compactsim::scenarios;
namespace json = boost::json;

namespace {

std::string error_of(const std::string& text) {
  std::string error;
  auto sc = parse_scenario(text, std::nullopt, error);
  BOOST_TEST(!sc.has_value(), text);
  return error;
}

} // namespace

BOOST_AUTO_TEST_SUITE(scenarios_format)

BOOST_AUTO_TEST_CASE(durations_in_every_spelling) {
  BOOST_TEST(parse_duration(json::value("90s")).value() == 90'000);
  BOOST_TEST(parse_duration(json::value("1h30m")).value() == 5'400'000);
  BOOST_TEST(parse_duration(json::value("250ms")).value() == 250);
  BOOST_TEST(parse_duration(json::value("2d")).value() == 172'800'000);
  BOOST_TEST(parse_duration(json::value("PT5M")).value() == 300'000);
  BOOST_TEST(parse_duration(json::value(1500)).value() == 1500);
  for (const char* bad : {"", "5", "5 minutes", "P1M", "h", "5x"})
    BOOST_TEST(!parse_duration(json::value(bad)).has_value(), bad);
  BOOST_TEST(format_duration(5'400'250) == "1h30m00.250s");
}

BOOST_AUTO_TEST_CASE(a_scenario_reads_with_comments_and_sorts_its_timeline) {
  std::string error;
  auto sc = parse_scenario(R"(// a comment
    {"name": "t", "duration": "1h", "seed": 9,
     "cluster": {"druid": {"compaction": [{"dataSource": "wikipedia_hour"}], "slots": {"ratio": 0.5}}},
     "steps": [
       {"at": "end", "assert": {"metric": "doris.rejected_loads", "equals": 0}},
       {"at": "30m", "fault": {"kind": "slow_disk", "factor": 5, "target": ["be:1", "be:random"], "for": "5m"}},
       {"at": "10m", "http": {"node": "be:0", "path": "/api/health"}, "expect": {"status": 200}},
     ],
    })", std::nullopt, error);
  BOOST_REQUIRE_MESSAGE(sc, error);
  BOOST_TEST(sc->seed == 9u);
  BOOST_TEST(sc->cluster.seed == 9u);
  BOOST_TEST(sc->druid_compaction.size() == 1u);
  BOOST_TEST(sc->druid_slot_ratio.value() == 0.5);
  BOOST_REQUIRE(sc->steps.size() == 3u);
  BOOST_TEST((sc->steps[0].kind == step_kind::http));
  BOOST_TEST((sc->steps[1].kind == step_kind::fault));
  BOOST_TEST(sc->steps[1].fault.targets.size() == 2u);
  BOOST_TEST(sc->steps[1].fault.duration.value() == 300'000);
  BOOST_TEST(sc->steps[2].at_end);
  BOOST_TEST(sc->invariants.size() == invariant_names().size());
}

BOOST_AUTO_TEST_CASE(errors_name_the_line_and_column_or_the_path) {
  BOOST_TEST(error_of("{\"name\": \"t\",\n  \"duration\": }").starts_with("line 2, column 15"));
  BOOST_TEST(error_of(R"({"duration": "1h"})") == "name: required: a string");
  BOOST_TEST(error_of(R"({"name": "t"})") == "duration: required: how long the run lasts in virtual time");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "soon"})").starts_with("duration: expected a duration"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "2h", "heal": "all"}]})")
                 .starts_with("steps[0].at: after the end of the run"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "meteor"}}]})") ==
             "steps[0].fault.kind: unknown fault \"meteor\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "crash", "target": "be:one"}}]})")
                 .starts_with("steps[0].fault.target: \"be:one\""));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "http": {"node": "fe", "path": "/"}}]})") ==
             "steps[0].http.node: expected \"druid\" or \"be:N\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "assert": {"metric": "doris.mood", "max": 1}}]})") ==
             "steps[0].assert.metric: unknown metric \"doris.mood\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "http": {"node": "be:0", "path": "/"}, "heal": "all"}]})") ==
             "steps[0]: give exactly one of http, wait, fault, heal, assert and ingest");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "crash", "target": "overlord:1"}}]})")
                 .starts_with("steps[0].fault.target: \"overlord:1\""));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "crash", "target": "be:99999999999"}}]})")
                 .starts_with("steps[0].fault.target"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": ".s"})").starts_with("duration: expected a duration"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "99999999999999999999999d"})").starts_with("duration: expected a duration"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "http": {"node": "be:99999999999999999999", "path": "/"}}]})") ==
             "steps[0].http.node: expected \"druid\" or \"be:N\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "invariants": ["eventually_ok"]})") ==
             "invariants: unknown invariant \"eventually_ok\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "cluster": {"doris": {"backends": 0}}})")
                 .starts_with("cluster: doris.backends"));
  // Issue 14: a target that names no node of the cluster is an error.
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "crash", "target": "be:7"}}]})") ==
             "steps[0].fault.target: \"be:7\" names no node: the cluster has 3 backends (be:0..be:2)");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "cluster": {"druid": {"enabled": false}},
                         "steps": [{"at": "1m", "fault": {"kind": "clock_skew", "target": "overlord", "skew": "1m"}}]})")
                 .starts_with("steps[0].fault.target: \"overlord\" names no node"));
  // Issue 14: a heal of an id no earlier fault has, and an undefined capture.
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "heal": "ghost"}]})") ==
             "steps[0].heal: no earlier fault has the id \"ghost\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [
                           {"at": "2m", "fault": {"id": "late", "kind": "crash", "target": "be:0"}},
                           {"at": "1m", "heal": "late"}]})") == "steps[1].heal: no earlier fault has the id \"late\"");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "http": {"node": "druid", "path": "/x/${task}"}}]})") ==
             "steps[0].http.path: ${task} is captured by no earlier step");
  // Issue 14: each metric takes its own args, typed.
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "assert": {"metric": "doris.running_compactions", "args": {"type": "bogus"}, "max": 1}}]})") ==
             "steps[0].assert.args.type: expected base, cumulative or full");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "assert": {"metric": "doris.loads", "args": {"table": 1}, "max": 1}}]})") ==
             "steps[0].assert.args.table: \"doris.loads\" takes no argument \"table\"");
  // Issue 14: unknown keys are errors at their path ("fro" made a crash permanent).
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "crash", "target": "be:0", "fro": "2m"}}]})")
                 .starts_with("steps[0].fault.fro: unknown key \"fro\" (expected one of: id, kind, target"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "stpes": []})").starts_with("stpes: unknown key"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "heal": "all", "note": "x"}]})")
                 .starts_with("steps[0].note: unknown key"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "assert": {"metric": "doris.loads", "mn": 1}}]})")
                 .starts_with("steps[0].assert.mn: unknown key"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "wait": {"metric": "doris.loads", "min": 1, "evry": "1s"}}]})")
                 .starts_with("steps[0].wait.evry: unknown key"));
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "http": {"node": "be:0", "path": "/", "methd": "GET"}}]})")
                 .starts_with("steps[0].http.methd: unknown key"));
}

BOOST_AUTO_TEST_CASE(ranges_are_resolved_by_the_seed_and_reported) {
  const char* text = R"({"name": "swarm", "duration": "1h",
    "cluster": {"doris": {"backends": {"range": [3, 7]}}},
    "steps": [{"at": "1m", "fault": {"kind": "compaction_failure", "probability": {"range": [0, 0.3]}}}]})";
  std::string error;
  std::set<int> backends;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto a = parse_scenario(text, seed, error);
    auto b = parse_scenario(text, seed, error);
    BOOST_REQUIRE_MESSAGE(a && b, error);
    BOOST_TEST(a->cluster.doris.backends == b->cluster.doris.backends); // the seed decides
    BOOST_TEST(a->cluster.doris.backends >= 3);
    BOOST_TEST(a->cluster.doris.backends <= 7);
    BOOST_TEST(a->steps[0].fault.as<compactsim::sim::faults::compaction_failure>()->probability >= 0.0);
    BOOST_TEST(a->steps[0].fault.as<compactsim::sim::faults::compaction_failure>()->probability <= 0.3);
    BOOST_REQUIRE(a->resolved.size() == 2u);
    BOOST_TEST(a->resolved[0].first == "cluster.doris.backends");
    BOOST_TEST(a->resolved[1].first == "steps[0].fault.probability");
    backends.insert(a->cluster.doris.backends);
  }
  BOOST_TEST(backends.size() > 1u); // different seeds explore different clusters
}

// A range is checked at both bounds when the file is read, so a bound that
// makes no valid scenario fails every seed (and validate), not only the
// seeds that happen to draw near it.
BOOST_AUTO_TEST_CASE(a_range_with_an_invalid_bound_fails_for_every_seed) {
  const char* text = R"({"name": "bad-range", "duration": "1h",
    "steps": [{"at": "1m", "fault": {"kind": "slow_disk", "target": "be:0", "factor": {"range": [0.5, 20]}}}]})";
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::string error;
    BOOST_TEST(!parse_scenario(text, seed, error).has_value());
    BOOST_TEST(error == "with every range at its lower bound: steps[0].fault.factor: must be within [1, 1000000]", error);
  }
  std::string error;
  BOOST_TEST(!parse_scenario(R"({"name": "too-many", "duration": "1h", "cluster": {"doris": {"backends": {"range": [1, 100000]}}}})",
                             std::nullopt, error));
  BOOST_TEST(error.starts_with("with every range at its upper bound: "), error);
  // Both bounds valid: every seed parses.
  BOOST_TEST(parse_scenario(R"({"name": "fine", "duration": "1h",
    "steps": [{"at": "1m", "fault": {"kind": "slow_disk", "target": "be:0", "factor": {"range": [20, 1]}}}]})",
                            7, error).has_value(), error);
}

// Fault parameters out of their range are refused with their path: a
// negative row count, a slowdown so large a compaction's time overflows.
BOOST_AUTO_TEST_CASE(fault_parameters_out_of_range_are_refused) {
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault":
    {"kind": "corrupt_delete_bitmap", "table": 10104, "rows": -5}}]})") == "steps[0].fault.rows: must be at least 1");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault":
    {"kind": "slow_disk", "target": "be:0", "factor": 1e300}}]})") == "steps[0].fault.factor: must be within [1, 1000000]");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "1m", "fault":
    {"kind": "slow_disk", "target": "be:0", "factor": 0.5}}]})") == "steps[0].fault.factor: must be within [1, 1000000]");
}

// A run's work is bounded before it starts: a year at most, a check at most
// every second and a million times, a wait that polls at most a million
// times, a stream of at most 1000 segments a minute. Each bound holds at its
// edge and refuses one step past it, naming the field.
BOOST_AUTO_TEST_CASE(work_bounds_hold_at_their_edge_and_refuse_past_it) {
  std::string error;
  auto ok = [&](const std::string& text) {
    error.clear();
    BOOST_TEST(parse_scenario(text, std::nullopt, error).has_value(), error);
  };
  ok(R"({"name": "t", "duration": "8760h", "check_every": "32000s"})");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "8761h", "check_every": "1h"})") ==
             "duration: must be positive and at most 8760h (a year)");
  ok(R"({"name": "t", "duration": "1h", "check_every": "1s"})");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "check_every": "999ms"})") ==
             "check_every: must be at least 1s");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "8760h", "check_every": "1s"})") ==
             "check_every: checks at most 1000000 times in a run: make it longer");
  ok(R"({"name": "t", "duration": "1h", "steps": [{"at": "0s",
    "wait": {"metric": "doris.loads", "min": 1, "every": "1ms", "timeout": "1000s"}}]})");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "steps": [{"at": "0s",
    "wait": {"metric": "doris.loads", "min": 1, "every": "1ms", "timeout": "1000001ms"}}]})") ==
             "steps[0].wait.every: polls at most 1000000 times over its timeout: make it longer or the timeout shorter");
  ok(R"({"name": "t", "duration": "1h", "cluster": {"druid": {"workloads":
    [{"datasource": "wikipedia", "segments_per_minute": 1000}]}}})");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "cluster": {"druid": {"workloads":
    [{"datasource": "wikipedia", "segments_per_minute": 1001}]}}})") ==
             "cluster: druid.workloads[0].segments_per_minute: must be in [0, 1000]");
  BOOST_TEST(error_of(R"({"name": "t", "duration": "1h", "cluster": {"druid": {"workloads":
    [{"datasource": "wikipedia", "segments_per_minute": 1e9}]}}})") ==
             "cluster: druid.workloads[0].segments_per_minute: must be in [0, 1000]");
}

BOOST_AUTO_TEST_SUITE_END()
