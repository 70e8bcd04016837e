//! scenarios/runner: runs on virtual time, checks, invariants, determinism and reports.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <map>

#include <unistd.h>

#include <boost/json.hpp>

#include "scenarios/checks.hpp"
#include "scenarios/report.hpp"
#include "sim/druid/overlord.hpp"
#include "scenarios/runner.hpp"

using namespace compactsim::scenarios;
namespace json = boost::json;

namespace {

scenario parse(const std::string& text, std::optional<std::uint64_t> seed = std::nullopt) {
  std::string error;
  auto sc = parse_scenario(text, seed, error);
  BOOST_REQUIRE_MESSAGE(sc, error);
  return *sc;
}

const check_result* find(const run_result& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name)
      return &c;
  return nullptr;
}

constexpr const char* faulty = R"({"name": "faulty", "duration": "20m",
  "cluster": {"druid": {"enabled": false}},
  "steps": [
    {"at": "1m", "fault": {"kind": "compaction_failure", "probability": 0.5, "target": "be:random", "for": "5m"}},
    {"at": "2m", "fault": {"kind": "slow_disk", "factor": 3, "target": "be:minority", "for": "5m"}},
    {"at": "end", "assert": {"metric": "doris.rejected_loads", "equals": 0}}
  ]})";

} // namespace

BOOST_AUTO_TEST_SUITE(scenarios_runner)

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_trace_and_another_seed_another) {
  auto a = run_scenario(parse(faulty, 1), {});
  auto b = run_scenario(parse(faulty, 1), {});
  auto c = run_scenario(parse(faulty, 2), {});
  BOOST_TEST(a.passed);
  BOOST_TEST(a.trace_digest == b.trace_digest);
  BOOST_TEST(a.events == b.events);
  BOOST_TEST(a.trace_digest != c.trace_digest);
  BOOST_TEST(a.virtual_ms == 20 * 60'000);
  BOOST_TEST(a.counts.at("faults") == 2u);
  BOOST_TEST(a.counts.at("compaction.fail") > 0u);
}

BOOST_AUTO_TEST_CASE(failed_checks_fail_the_run_with_their_time_and_reason) {
  auto r = run_scenario(parse(R"({"name": "f", "duration": "10m", "cluster": {"druid": {"enabled": false}},
    "steps": [
      {"at": "1m", "name": "too strict", "assert": {"metric": "doris.max_version_count", "max": 0}},
      {"at": "2m", "name": "wrong status", "http": {"node": "be:0", "path": "/api/health"}, "expect": {"status": 500}},
      {"at": "3m", "name": "right body", "http": {"node": "be:0", "path": "/api/health"},
       "expect": {"status": 200, "body": {"status": "OK"}}},
      {"at": "4m", "name": "never", "wait": {"metric": "doris.duplicates", "min": 1, "every": "1m", "timeout": "3m"}}
    ]})"), {});
  BOOST_TEST(!r.passed);
  const auto* strict = find(r, "too strict");
  BOOST_REQUIRE(strict);
  BOOST_TEST(!strict->passed);
  BOOST_TEST(strict->at == 60'000);
  BOOST_TEST(strict->message.find("expected <= 0") != std::string::npos);
  BOOST_TEST(!find(r, "wrong status")->passed);
  BOOST_TEST(find(r, "right body")->passed);
  const auto* never = find(r, "never");
  BOOST_TEST(!never->passed);
  BOOST_TEST(never->message.starts_with("not within 0h03m00.000s"));
  auto xml = junit_xml(parse(R"({"name": "f", "duration": "1m"})"), r);
  BOOST_TEST(xml.find("<testcase classname=\"f.assertion\" name=\"too strict\"") != std::string::npos);
  BOOST_TEST(xml.find("<failure message=") != std::string::npos);
  BOOST_TEST(xml.find("name=\"versions_contiguous\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_crashed_be_refuses_requests_and_comes_back_with_its_rowsets) {
  auto r = run_scenario(parse(R"({"name": "c", "duration": "10m", "cluster": {"druid": {"enabled": false}},
    "steps": [
      {"at": "1m", "fault": {"id": "down", "kind": "crash", "target": "be:2"}},
      {"at": "2m", "name": "refused", "http": {"node": "be:2", "path": "/api/health"}, "expect": {"status": 0}},
      {"at": "3m", "heal": "down"},
      {"at": "4m", "name": "back", "http": {"node": "be:2", "path": "/api/compaction/show?tablet_id=10015"},
       "expect": {"status": 200, "body": {"cumulative point": 2}}}
    ]})"), {});
  BOOST_TEST(r.passed);
  BOOST_TEST(find(r, "refused")->passed);
  BOOST_TEST(find(r, "back")->passed);
  BOOST_TEST(find(r, "replicas_agree")->passed);
}

BOOST_AUTO_TEST_CASE(an_invariant_catches_data_overshadowed_by_a_non_aligned_task) {
  // allowNonAlignedInterval lets a DAY task on part of a day publish over the
  // whole day: the hours it never read are overshadowed, as Druid warns.
  auto r = run_scenario(parse(R"({"name": "loss", "duration": "10m",
    "cluster": {"doris": {"workloads": []}, "druid": {"workloads": []}},
    "steps": [
      {"at": "1m", "http": {"node": "druid", "method": "POST", "path": "/druid/indexer/v1/task",
        "body": {"type": "compact", "dataSource": "wikipedia",
                 "ioConfig": {"type": "compact", "allowNonAlignedInterval": true,
                              "inputSpec": {"type": "interval", "interval": "2020-01-01T05/2020-01-01T07"}},
                 "granularitySpec": {"segmentGranularity": "DAY"}}},
       "expect": {"status": 200}}
    ]})"), {});
  BOOST_TEST(!r.passed);
  const auto* inv = find(r, "druid_rows_conserved");
  BOOST_REQUIRE(inv);
  BOOST_TEST(!inv->passed);
  BOOST_TEST(inv->message.starts_with("wikipedia holds "));
  // Without the flag, Druid (and the model) refuse the non-aligned interval.
  auto safe = run_scenario(parse(R"({"name": "safe", "duration": "10m",
    "cluster": {"doris": {"workloads": []}, "druid": {"workloads": []}},
    "steps": [
      {"at": "1m", "http": {"node": "druid", "method": "POST", "path": "/druid/indexer/v1/task",
        "body": {"type": "compact", "id": "t", "dataSource": "wikipedia", "interval": "2020-01-01T05/2020-01-01T07",
                 "granularitySpec": {"segmentGranularity": "DAY"}}}, "expect": {"status": 200}},
      {"at": "2m", "http": {"node": "druid", "path": "/druid/indexer/v1/task/t/status"},
       "expect": {"status": 200, "body": {"status": {"statusCode": "FAILED",
         "errorMsg": "Interval[2020-01-01T05:00:00.000Z/2020-01-01T07:00:00.000Z] to compact is not aligned with segmentGranularity[DAY]"}}}}
    ]})"), {});
  BOOST_TEST(safe.passed);
}

BOOST_AUTO_TEST_CASE(no_data_lost_catches_a_backend_back_from_a_stale_disk_and_a_vanished_segment) {
  namespace sim = compactsim::sim;
  constexpr sim::time_ms t0 = 1'735'689'600'000;
  auto backend = [](std::int64_t versions) {
    auto be = std::make_shared<sim::backend_model>(10001, sim::doris_knobs{}, 1, 1);
    be->add_table({10200, "events", sim::keys_type::dup_keys, false, false, 11});
    be->add_replica(1, 10200, t0);
    for (std::int64_t v = 2; v <= versions; ++v)
      be->commit_load(10200, sim::load_spec{v, 100, 10, 1, 0, false}, t0);
    return be;
  };
  auto overlord = [](int hours) {
    auto o = std::make_shared<sim::druid::overlord>(sim::druid::knobs{}, std::vector<sim::druid::worker>{}, 1);
    for (int h = 0; h < hours; ++h)
      o->ingest("wiki", {t0 + h * 3'600'000LL, t0 + (h + 1) * 3'600'000LL}, 10, 1000, {{"page"}, {"count"}}, t0);
    return o;
  };
  compactsim::actors::cluster c;
  c.backend_models = {backend(5)};
  c.overlord_model = overlord(3);
  invariant_memory memory;
  std::vector<std::string> broken;
  auto check = [&] {
    broken.clear();
    check_invariants(c, {"no_data_lost"}, {}, memory,
                     [&](const std::string&, const std::string& message) { broken.push_back(message); });
  };
  check();
  BOOST_TEST(broken.empty());
  c.backend_models = {backend(7)}; // more is fine
  check();
  BOOST_TEST(broken.empty());
  c.backend_models = {backend(4)};
  c.overlord_model = overlord(2);
  check();
  BOOST_REQUIRE(broken.size() == 2u);
  BOOST_TEST(broken[0] == "be:0 tablet 1 went back from version 7 to 4");
  BOOST_TEST(broken[1] == "wiki lost the data it had for 2025-01-01T02:00:00.000Z/2025-01-01T03:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(the_trace_is_one_json_event_per_line) {
  auto path = std::string{"/tmp/compactsim_trace_test_"} + std::to_string(::getpid()) + ".jsonl";
  run_options opts;
  opts.trace_file = path;
  auto r = run_scenario(parse(faulty, 3), opts);
  std::ifstream in(path);
  std::string line;
  std::uint64_t lines = 0;
  std::int64_t last_t = -1;
  while (std::getline(in, line)) {
    auto v = json::parse(line);
    BOOST_REQUIRE(v.is_object());
    BOOST_TEST(v.at("t").as_int64() >= last_t); // in time order
    last_t = v.at("t").as_int64();
    BOOST_TEST(v.as_object().contains("kind"));
    ++lines;
  }
  BOOST_TEST(lines == r.trace_events);
  std::remove(path.c_str());
  auto report = json::parse(report_json(parse(faulty, 3), r));
  BOOST_TEST(report.at("trace_digest").as_string() == r.trace_digest);
  BOOST_TEST(report.at("seed").as_int64() == 3);
}

// Issue 14: running_compactions counts by `type` (a table_id full run:
// fulls only, no cumulative or base tasks counted with them).
BOOST_AUTO_TEST_CASE(running_compactions_count_by_type) {
  auto r = run_scenario(parse(R"({"name": "by type", "duration": "3m",
    "cluster": {"druid": {"enabled": false}, "doris": {"knobs": {"disk_throughput_bytes_per_sec": 1000},
      "tables": [{"id": 9001, "keys_type": "DUP_KEYS", "buckets": 4, "initial_loads": 3, "disable_auto_compaction": true}]}},
    "steps": [
      {"at": "1m", "http": {"node": "be:0", "method": "POST", "path": "/api/compaction/run?table_id=9001&compact_type=full"}},
      {"at": "2m", "assert": {"metric": "doris.running_compactions", "args": {"type": "full"}, "min": 1}},
      {"at": "2m", "assert": {"metric": "doris.running_compactions", "args": {"type": "cumulative"}, "equals": 0}},
      {"at": "2m", "assert": {"metric": "doris.running_compactions", "args": {"type": "base"}, "equals": 0}}
    ]})"), {});
  for (const auto& c : r.checks)
    BOOST_TEST(c.passed, c.name << ": " << c.message);
}

// Steps run in file order: a wait that runs past the next step's time
// delays it, and the run reports the late step (summary, JSON report).
BOOST_AUTO_TEST_CASE(a_step_held_back_by_a_wait_is_reported_late) {
  auto sc = parse(R"({"name": "late", "duration": "10m", "cluster": {"druid": {"enabled": false}},
    "steps": [
      {"at": "1m", "name": "slow wait", "wait": {"metric": "doris.duplicates", "min": 1, "every": "1m", "timeout": "4m"}},
      {"at": "2m", "name": "held", "assert": {"metric": "doris.max_version_count", "min": 0}},
      {"at": "9m", "name": "on time", "assert": {"metric": "doris.max_version_count", "min": 0}}
    ]})");
  auto r = run_scenario(sc, {});
  BOOST_REQUIRE(r.late.size() == 1u);
  BOOST_TEST(r.late[0].index == 1u);
  BOOST_TEST(r.late[0].name == "held");
  BOOST_TEST(r.late[0].due == 120'000);
  BOOST_TEST(r.late[0].ran >= 300'000);
  auto table = summary_table(sc, r);
  BOOST_TEST(table.find("late  step 2 (held) was due at 0h02m00.000s and ran at 0h05m00.000s") != std::string::npos, table);
  BOOST_TEST(report_json(sc, r).find(R"("late_steps":[{"step":2,"name":"held","due_ms":120000,"ran_ms":300000}])") !=
             std::string::npos);
  // Every JUnit testcase has the wall time it took to decide it.
  auto xml = junit_xml(sc, r);
  BOOST_TEST(xml.find("time=\"0\"") == std::string::npos, xml);
}

// Seeds matter without faults too: the default cluster's loads vary in
// timing and size with the seed.
BOOST_AUTO_TEST_CASE(a_fault_free_run_differs_by_seed) {
  const char* text = R"({"name": "quiet", "duration": "10m", "cluster": {"druid": {"enabled": false}}})";
  auto a = run_scenario(parse(text, 1), {});
  auto b = run_scenario(parse(text, 2), {});
  auto a2 = run_scenario(parse(text, 1), {});
  BOOST_TEST(a.trace_digest == a2.trace_digest);
  BOOST_TEST(a.trace_digest != b.trace_digest);
  BOOST_TEST(a.counts.at("load.commit") != b.counts.at("load.commit"));
}

// A skewed node's events keep the simulation's time in `t` (the trace stays
// in order) and carry the node's own clock as `node_t`.
BOOST_AUTO_TEST_CASE(a_skewed_nodes_trace_keeps_sim_time_and_adds_its_own) {
  auto file = std::filesystem::temp_directory_path() / "compactsim-skew-trace.jsonl";
  run_options opts;
  opts.trace_file = file.string();
  auto r = run_scenario(parse(R"({"name": "skew", "duration": "20m",
    "steps": [{"at": "1m", "fault": {"kind": "clock_skew", "target": "be:0", "skew": "-10m", "for": "10m"}},
              {"at": "2m", "fault": {"kind": "clock_skew", "target": "overlord", "skew": "+30m", "for": "10m"}}]})"),
                        opts);
  BOOST_TEST(r.passed);
  std::ifstream in{file};
  std::string line;
  std::int64_t last = 0, skewed_be = 0, skewed_overlord = 0;
  bool ordered = true;
  while (std::getline(in, line)) {
    auto v = boost::json::parse(line).as_object();
    auto t = v.at("t").as_int64();
    ordered = ordered && t >= last;
    last = t;
    if (auto* n = v.if_contains("node_t")) {
      auto node = std::string{v.at("node").as_string()};
      if (node == "be:0") {
        BOOST_TEST(n->as_int64() == t - 600'000);
        ++skewed_be;
      } else if (node == "overlord") {
        BOOST_TEST(n->as_int64() == t + 1'800'000);
        ++skewed_overlord;
      } else {
        BOOST_TEST(false, "node_t on " << node);
      }
    }
  }
  BOOST_TEST(ordered);
  BOOST_TEST(skewed_be > 0);
  BOOST_TEST(skewed_overlord > 0);
  std::filesystem::remove(file);
}

// An ingest step loads and streams as POST /sim/v1/ingest does (a recorded
// session's ingests replay as these).
BOOST_AUTO_TEST_CASE(an_ingest_step_loads_and_streams_now) {
  // The value a metric had at 2m, read off a check that cannot hold.
  auto value_at_2m = [](const std::string& ingest, const std::string& metric) {
    auto r = run_scenario(parse(R"({"name": "ingest", "duration": "3m", "steps": [)" + ingest + R"({"at": "2m", "assert": )" +
                                metric + R"(}]})"),
                          {});
    for (const auto& c : r.checks)
      if (c.kind == "assertion" && !c.passed) {
        auto at = c.message.find(" = ");
        return std::stod(c.message.substr(at + 3));
      }
    BOOST_FAIL("the check held");
    return 0.0;
  };
  const std::string loads = R"({"metric": "doris.loads", "args": {"be": 0}, "equals": -1})"; // be:0 holds some of 10200
  const std::string segments = R"({"metric": "druid.segments", "args": {"dataSource": "wikipedia_hour"}, "equals": -1})";
  const std::string ingest = R"({"at": "1m", "ingest": {"doris": {"table": 10200, "loads": 5},
                                                    "druid": {"dataSource": "wikipedia_hour", "segments": 3}}},)";
  BOOST_TEST(value_at_2m(ingest, loads) == value_at_2m("", loads) + 5);
  BOOST_TEST(value_at_2m(ingest, segments) == value_at_2m("", segments) + 3);
  std::string error;
  BOOST_TEST(!parse_scenario(R"({"name": "x", "duration": "1m", "steps": [{"at": "1s", "ingest": {"doris": {"tabel": 1}}}]})",
                             std::nullopt, error));
  BOOST_TEST(error.find("steps[0].ingest.doris.tabel") != std::string::npos, error);
  BOOST_TEST(!parse_scenario(R"({"name": "x", "duration": "1m", "steps": [{"at": "1s", "ingest": {"doris": {"table": 1, "loads": 0}}}]})",
                             std::nullopt, error));
  BOOST_TEST(error.find("steps[0].ingest.doris.loads") != std::string::npos, error);
}

// What started a compaction is in its trace line: the producer ("auto"), an
// HTTP run on a tablet or on a table, or a load near the version limit.
BOOST_AUTO_TEST_CASE(a_compaction_start_says_what_triggered_it) {
  auto file = std::filesystem::temp_directory_path() / "compactsim-trigger-trace.jsonl";
  run_options opts;
  opts.trace_file = file.string();
  auto r = run_scenario(parse(R"({"name": "trigger", "duration": "3m", "cluster": {"druid": {"enabled": false}},
    "steps": [{"at": "1m", "http": {"node": "be:0", "method": "POST", "path": "/api/compaction/run?table_id=10104&compact_type=full"},
               "expect": {"status": 200}},
              {"at": "2m", "http": {"node": "be:0", "method": "POST", "path": "/api/compaction/run?tablet_id=10015&compact_type=cumulative"}}]})"),
                        opts);
  BOOST_TEST(r.passed);
  std::ifstream in{file};
  std::map<std::string, int> triggers;
  std::string line;
  while (std::getline(in, line)) {
    auto v = boost::json::parse(line).as_object();
    if (v.at("kind") == "compaction.start") {
      auto trigger = std::string{v.at("trigger").as_string()};
      ++triggers[trigger];
      BOOST_TEST(v.at("manual").as_bool() == (trigger == "tablet_id"));
    }
  }
  BOOST_TEST(triggers["auto"] > 0);
  BOOST_TEST(triggers["table_id"] > 0);
  BOOST_TEST(triggers["tablet_id"] <= 1); // the tablet may be busy (E-2000 "compaction task is running")
  std::filesystem::remove(file);
}

// A property over every numeric field of the example cluster (and a Druid
// datasource's sizes): at each extreme it is either refused with an error
// that names the field, or the cluster runs two virtual minutes within a
// work bound of 20 million events. A field added without a range that can
// blow up a run fails here.
BOOST_AUTO_TEST_CASE(every_numeric_cluster_field_at_an_extreme_is_refused_by_name_or_runs_bounded) {
  std::ifstream in{std::string{COMPACTSIM_SOURCE_DIR} + "/examples/cluster.json"};
  std::stringstream text;
  text << in.rdbuf();
  json::parse_options po;
  po.allow_comments = true;
  auto base = json::parse(text.str(), {}, po);
  auto& ds = base.at("druid").at("datasources").at(0).as_object();
  ds["partitions"] = 2;
  ds["rows_per_segment"] = 1000;
  ds["bytes_per_segment"] = 100000;
  // The paths of every number in the document.
  std::vector<std::vector<json::string>> paths;
  std::vector<std::string> names;
  std::function<void(const json::value&, std::vector<json::string>, std::string)> walk =
    [&](const json::value& v, std::vector<json::string> path, std::string name) {
      if (v.is_object())
        for (const auto& [k, x] : v.as_object()) {
          auto p = path;
          p.push_back(k);
          walk(x, p, std::string{k});
        }
      else if (v.is_array())
        for (std::size_t i = 0; i < v.as_array().size(); ++i) {
          auto p = path;
          p.push_back(json::string{std::to_string(i)});
          walk(v.as_array()[i], p, name);
        }
      else if (v.is_number()) {
        paths.push_back(path);
        names.push_back(name);
      }
    };
  walk(base, {}, "");
  BOOST_TEST_REQUIRE(paths.size() >= 25u);
  auto at = [](json::value& root, const std::vector<json::string>& path) -> json::value& {
    json::value* v = &root;
    for (const auto& key : path)
      v = v->is_array() ? &v->as_array().at(std::stoul(std::string{key})) : &v->as_object().at(key);
    return *v;
  };
  const json::value extremes[] = {-1, 0, 0.5, 2147483648LL, 4611686018427387904LL, 1e300};
  int refused = 0, ran = 0;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    if (names[k] == "seed" || names[k] == "id" || names[k] == "table")
      continue; // identities, not sizes: any value is a name
    for (const auto& extreme : extremes) {
      auto doc = base;
      at(doc, paths[k]) = extreme;
      const auto scenario_text = R"({"name": "extreme", "duration": "2m", "cluster": )" + json::serialize(doc) + "}";
      BOOST_TEST_CONTEXT(names[k] << " = " << json::serialize(extreme)) {
        std::string error;
        auto sc = parse_scenario(scenario_text, std::nullopt, error);
        if (!sc) {
          ++refused;
          BOOST_TEST(error.find(names[k]) != std::string::npos, error);
          continue;
        }
        run_options opts;
        opts.max_events = 20'000'000;
        try {
          auto result = run_scenario(*sc, opts);
          BOOST_TEST(result.virtual_ms == 120'000);
          ++ran;
        } catch (const std::exception& e) {
          BOOST_ERROR(std::string{"unbounded: "} + e.what());
        }
      }
    }
  }
  BOOST_TEST_MESSAGE(refused << " extremes refused by name, " << ran << " ran within the bound");
  BOOST_TEST(refused > 0);
  BOOST_TEST(ran > 0);
}

BOOST_AUTO_TEST_SUITE_END()
