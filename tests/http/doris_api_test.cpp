// The Doris BE API through its route table, against a whole cluster on the
// deterministic scheduler (no sockets), in both API profiles.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "sim/cluster_config.hpp"
#include "http/doris/be_api.hpp"
#include "tests/http/doris_cases.hpp"
#include "tests/http/route_call.hpp"
#include "tests/actors/fixture.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

struct api_fixture : test::cluster_fixture {
  http::route_table routes;

  explicit api_fixture(sim::api_profile p = sim::api_profile::docs)
    : test::cluster_fixture(config(p)), routes(http::make_doris_routes(*doris, 0)) {}

  static sim::cluster_config config(sim::api_profile p) {
    auto cfg = sim::default_cluster();
    cfg.doris.profile = p;
    return cfg;
  }

  http::response call(std::string method, std::string target) {
    http::request req;
    req.method = std::move(method);
    req.target = std::move(target);
    return test::route_call(routes, *time, req);
  }

  test::caller caller() {
    return [this](const std::string& method, const std::string& target) { return call(method, target); };
  }

  json::object call_json(std::string method, std::string target) {
    auto r = call(std::move(method), std::move(target));
    BOOST_TEST(r.status == 200u);
    auto v = json::parse(r.body);
    BOOST_REQUIRE(v.is_object());
    return v.get_object();
  }

  std::size_t rowsets(std::int64_t tablet) {
    auto show = call_json("GET", "/api/compaction/show?tablet_id=" + std::to_string(tablet));
    return show.at("rowsets").as_array().size();
  }
};

void expect_fail(const json::object& o, std::string_view msg) {
  BOOST_TEST(o.at("status").as_string() == "Fail");
  BOOST_TEST(o.at("msg").as_string() == msg);
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_doris_api)

BOOST_AUTO_TEST_CASE(docs_profile_answers_the_seed_examples) {
  api_fixture f;
  auto run = f.call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(run.body == R"({"status": "Success", "msg": "compaction task is successfully triggered."})");
  BOOST_TEST(run.content_type == "application/json");

  auto st = f.call_json("GET", "/api/compaction/run_status?tablet_id=11308");
  BOOST_TEST(st.at("status").as_string() == "Success");
  BOOST_TEST(st.at("run_status").as_bool() == false);
  BOOST_TEST(st.at("msg").as_string() == "this tablet_id is not running");
  BOOST_TEST(st.at("tablet_id").as_int64() == 11308);
  BOOST_TEST(st.at("schema_hash").as_int64() == 700967178);
  BOOST_TEST(st.at("compact_type").as_string() == "");

  auto full = f.call("POST", "/api/compaction/run?table_id=10104&compact_type=full");
  BOOST_TEST(full.body == R"({"status": "Success", "msg": "compaction task is successfully triggered."})");
  auto running = f.call_json("GET", "/api/compaction/run_status?tablet_id=11308");
  BOOST_TEST(running.at("run_status").as_bool() == true);
  BOOST_TEST(running.at("msg").as_string() == "this tablet_id is running");
  BOOST_TEST(running.at("compact_type").as_string() == "full");

  expect_fail(f.call_json("POST", "/api/compaction/run?tablet_id=999999999&compact_type=base"), "Tablet not found");
  expect_fail(f.call_json("GET", "/api/compaction/run_status?tablet_id=999999999"), "Tablet not found");
}

BOOST_AUTO_TEST_CASE(docs_profile_reports_nothing_to_compact_as_error_2000) {
  api_fixture f;
  f.call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  expect_fail(f.call_json("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative"),
              "fail to execute compaction, error = -2000");
}

BOOST_AUTO_TEST_CASE(every_documented_response_in_both_profiles) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      api_fixture f{p};
      test::check_documented_responses(f.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_bad_input_in_both_profiles_changes_nothing) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      api_fixture f{p};
      test::check_bad_inputs(f.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(profile_2_1_answers_as_doris_code_does) {
  api_fixture f{sim::api_profile::v2_1};
  auto nf = f.call_json("POST", "/api/compaction/run?tablet_id=99999&compact_type=base");
  BOOST_TEST(nf.at("status").as_string() == "NOT_FOUND");
  BOOST_TEST(nf.at("msg").as_string() == "Tablet not found. tablet_id=99999");
  auto ok = f.call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(ok.body ==
             R"({"status": "Success", "msg": "compaction task is successfully triggered. Table id: 0. Tablet id: 10015"})");
  auto again = f.call_json("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(again.at("status").as_string() == "E-2000");
  BOOST_TEST(again.at("msg").as_string() == "_input_rowsets is empty");
  auto base = f.call_json("POST", "/api/compaction/run?tablet_id=11308&compact_type=base");
  BOOST_TEST(base.at("status").as_string() == "E-808");
  auto table = f.call("POST", "/api/compaction/run?table_id=10104&compact_type=cumulative");
  BOOST_TEST(table.body ==
             R"({"status": "Success", "msg": "compaction task is successfully triggered. Table id: 10104. Tablet id: 0"})");
  auto st = f.call("GET", "/api/compaction/run_status?tablet_id=11308");
  BOOST_TEST(st.body.find("\"schema_hash\"") == std::string::npos);
  BOOST_TEST(json::parse(st.body).at("msg").as_string() == "compaction task for this tablet is running");
  auto missing = f.call_json("GET", "/api/compaction/run_status?tablet_id=99999");
  BOOST_TEST(missing.at("status").as_string() == "INTERNAL_ERROR");
  BOOST_TEST(missing.at("msg").as_string() == "fail to get 99999");
  auto empty = f.call_json("POST", "/api/compaction/run?compact_type=full");
  BOOST_TEST(empty.at("status").as_string() == "INTERNAL_ERROR");
  auto type = f.call_json("POST", "/api/compaction/run?tablet_id=10015&compact_type=xyz");
  BOOST_TEST(type.at("status").as_string() == "NOT_IMPLEMENTED_ERROR");
}

BOOST_AUTO_TEST_CASE(a_debug_point_timeout_of_zero_or_less_or_beyond_milliseconds_never_expires) {
  api_fixture f;
  // AddDebugPointAction: a timeout of zero or less never expires, and one
  // too large for milliseconds (fuzz_doris_routes found the overflow) does
  // not either: each is added, enabled, and fails the next compaction.
  for (const char* timeout : {"0", "-5", "2000000000100008000"}) {
    BOOST_TEST_CONTEXT("timeout=" << timeout) {
      BOOST_TEST(f.call("POST", std::string{"/api/debug_point/add/Compaction.failed?percent=1&timeout="} + timeout).status == 200u);
      expect_fail(f.call_json("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative"),
                  "fail to execute compaction, error = -1");
    }
  }
}

BOOST_AUTO_TEST_CASE(debug_points_fail_the_next_compaction_as_doris_debug_points_do) {
  api_fixture f;
  auto add = f.call("POST", "/api/debug_point/add/Compaction.failed?execute=1&percent=1");
  BOOST_TEST(add.status == 200u);
  BOOST_TEST(add.body == R"({"msg": "OK", "code": 0})");
  expect_fail(f.call_json("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative"),
              "fail to execute compaction, error = -1");
  auto show = f.call_json("GET", "/api/compaction/show?tablet_id=10015");
  BOOST_TEST(show.at("last cumulative status").as_string() == "[INTERNAL_ERROR]compaction failed (injected)");
  // execute=1: the point is spent, the retry compacts.
  BOOST_TEST(f.call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative").body ==
             R"({"status": "Success", "msg": "compaction task is successfully triggered."})");
  BOOST_TEST(f.call("POST", "/api/debug_point/add/Compaction.failed?timeout=x").status == 400u);
  BOOST_TEST(f.call("POST", "/api/debug_point/remove/Compaction.failed").body == R"({"msg": "OK", "code": 0})");
  BOOST_TEST(f.call("POST", "/api/debug_point/clear").status == 200u);
}

BOOST_AUTO_TEST_CASE(show_scores_tablets_and_health) {
  api_fixture f;
  auto show = f.call_json("GET", "/api/compaction/show?tablet_id=10015");
  BOOST_TEST(show.at("cumulative policy type").as_string() == "SIZE_BASED");
  BOOST_TEST(show.at("cumulative point").as_int64() == 2);
  BOOST_TEST(show.at("last base status").as_string() == "[OK]");
  auto rowsets = show.at("rowsets").as_array();
  BOOST_TEST(rowsets.size() == 21u);
  BOOST_TEST(std::string{rowsets[0].as_string()}.starts_with("[0-1] 0 DATA NONOVERLAPPING 02"));
  BOOST_TEST(show.at("missing_rowsets").as_array().empty());
  auto missing = f.call_json("GET", "/api/compaction/show");
  BOOST_TEST(missing.at("msg").as_string() == "check param failed: missing tablet_id");

  auto scores = json::parse(f.call("GET", "/api/compaction_score?top_n=2").body).as_array();
  BOOST_TEST(scores.size() == 2u);
  BOOST_TEST(std::stoi(std::string{scores[0].at("compaction_score").as_string()}) >=
             std::stoi(std::string{scores[1].at("compaction_score").as_string()}));
  auto bad = f.call("GET", "/api/compaction_score?top_n=wrong");
  BOOST_TEST(bad.status == 400u);
  BOOST_TEST(bad.body == "invalid argument: top_n=wrong");

  auto tablets = f.call_json("GET", "/tablets_json?limit=all");
  BOOST_TEST(tablets.at("msg").as_string() == "OK");
  BOOST_TEST(tablets.at("count").as_int64() > 8);
  BOOST_TEST(f.call("GET", "/api/health").body == R"({"status": "OK","msg": "To Be Added"})");
  auto metrics = f.call("GET", "/metrics");
  BOOST_TEST(metrics.status == 200u);
  BOOST_TEST(metrics.body.find("doris_be_tablet_cumulative_max_compaction_score ") != std::string::npos);
  BOOST_TEST(metrics.body.find("compactsim_be_max_tablet_version_num 21") != std::string::npos); // 10015's 20 loads + [0-1]
  BOOST_TEST(metrics.body.find("compactsim_be_compaction_tasks_running{type=\"full\"} 0") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
