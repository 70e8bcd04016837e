//! POST /sim/v1/scenario: a scenario file applied to the live cluster, on the
//! test scheduler (the same code serve runs on its threads).

#include <boost/test/unit_test.hpp>

#include <boost/json.hpp>

#include "scenarios/live_scenario.hpp"
#include "tests/actors/fixture.hpp"
#include "tests/http/route_call.hpp"

using namespace compactsim;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

struct live_fixture : test::cluster_fixture {
  std::shared_ptr<actors::live_control> control = std::make_shared<actors::live_control>(*sys, *cluster, 1);
  http::route_table routes;

  http::http_fault_table http_faults{1};

  live_fixture() { scenarios::add_scenario_route(routes, *control, &http_faults); }
  ~live_fixture() {
    control->shutdown();
    time->drain();
  }

  http::response post(std::string body, std::string target = "/sim/v1/scenario") {
    http::request req;
    req.method = "POST";
    req.target = std::move(target);
    req.body = std::move(body);
    return test::route_call(routes, *time, req);
  }
};

constexpr const char* crash_and_heal = R"({
  "name": "live-crash", "seed": 5, "duration": "10m",
  "cluster": {"druid": {"compaction": [{"dataSource": "wikipedia_hour", "skipOffsetFromLatest": "PT0S"}]}},
  "steps": [
    {"at": "1m", "fault": {"id": "down", "kind": "crash", "target": "be:1", "for": "2m"}},
    {"at": "90s", "http": {"node": "be:0", "path": "/api/health"}, "expect": {"status": 200}},
    {"at": "5m", "fault": {"id": "slow", "kind": "slow_disk", "factor": 3, "target": "be:0"}},
    {"at": "8m", "heal": "all"},
    {"at": "end", "assert": {"metric": "doris.duplicates", "equals": 0}}
  ]})";

} // namespace

BOOST_AUTO_TEST_SUITE(scenarios_live)

BOOST_AUTO_TEST_CASE(a_scenario_resets_the_cluster_and_runs_its_faults_on_the_live_timeline) {
  live_fixture f;
  auto before = f.control->current();
  std::string error;
  f.http_faults.add(*http::parse_http_fault(json::parse(R"({"status": 503})"), error));
  auto r = f.post(crash_and_heal);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  BOOST_TEST(f.http_faults.rules().empty()); // cleared, as a reset does
  auto body = json::parse(r.body).as_object();
  BOOST_TEST(body.at("name").as_string() == "live-crash");
  BOOST_TEST(body.at("seed").as_int64() == 5);
  BOOST_TEST(body.at("scheduled").as_array().size() == 3u);
  BOOST_TEST(body.at("skipped").as_int64() == 2);
  BOOST_TEST(f.control->current() != before);
  BOOST_TEST(f.control->current()->config.seed == 5u);
  // The Druid compaction config is in place.
  f.time->drain();
  BOOST_TEST(f.control->current()->coordinator_model->configs().current().find("wikipedia_hour") != nullptr);
  // The timeline runs from the POST.
  f.time->run_for(55s);
  BOOST_TEST(f.control->faults().empty());
  f.time->run_for(10s);
  BOOST_TEST(f.control->backend_down(1));
  f.time->run_for(2min);
  BOOST_TEST(!f.control->backend_down(1)); // its own "for"
  f.time->run_for(3min);
  BOOST_TEST(f.control->faults().size() == 1u);
  f.time->run_for(2min);
  BOOST_TEST(f.control->faults().empty()); // heal all
  BOOST_TEST(f.control->current()->backend_models[0]->faults().slowdown == 1.0);
}

BOOST_AUTO_TEST_CASE(a_reset_cancels_what_an_earlier_scenario_scheduled) {
  live_fixture f;
  BOOST_TEST_REQUIRE(f.post(crash_and_heal).status == 200u);
  f.time->run_for(30s);
  std::string error;
  BOOST_TEST(f.control->reset(std::nullopt, error));
  f.time->run_for(2min);
  BOOST_TEST(f.control->faults().empty());
  BOOST_TEST(!f.control->backend_down(1));
}

BOOST_AUTO_TEST_CASE(bad_scenarios_change_nothing) {
  live_fixture f;
  auto before = f.control->current();
  auto r = f.post(R"({"name": "x", "duration": "1h", "steps": [{"at": "1m", "fault": {"kind": "meteor"}}]})");
  BOOST_TEST(r.status == 400u);
  BOOST_TEST(r.body.find("steps[0].fault.kind") != std::string::npos, r.body);
  BOOST_TEST(f.post("{not json").status == 400u);
  BOOST_TEST(f.post(crash_and_heal, "/sim/v1/scenario?seed=x").status == 400u);
  auto shape = f.post(R"({"name": "big", "duration": "1h", "cluster": {"doris": {"backends": 7}}})");
  BOOST_TEST(shape.status == 409u);
  BOOST_TEST(shape.body.find("this server listens for 3") != std::string::npos, shape.body);
  auto druid = f.post(R"({"name": "d", "duration": "1h", "cluster": {"druid": {"compaction": [{"dataSource": "w", "skipOffsetFromLatest": "one day"}]}}})");
  BOOST_TEST(druid.status == 409u, druid.body);
  BOOST_TEST(f.control->current() == before);
  // ?seed= overrides the file's.
  auto seeded = f.post(crash_and_heal, "/sim/v1/scenario?seed=77");
  BOOST_TEST(seeded.status == 200u);
  BOOST_TEST(f.control->current()->config.seed == 77u);
}

BOOST_AUTO_TEST_SUITE_END()
