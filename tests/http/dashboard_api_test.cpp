// The dashboard's routes on the deterministic scheduler: the page and its
// embedded files, the snapshot with its history, a tablet's rowsets, a
// datasource's timeline, the fault vocabulary, and their errors.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "actors/live_control.hpp"
#include "http/control/admin_api.hpp"
#include "http/control/dashboard_api.hpp"
#include "sim/core/fault_spec.hpp"
#include "tests/actors/fixture.hpp"
#include "tests/http/route_call.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

struct dashboard_fixture : test::cluster_fixture {
  std::shared_ptr<actors::live_control> control;
  http::http_fault_table http_faults{1};
  std::shared_ptr<http::dashboard_history> history = std::make_shared<http::dashboard_history>(5);
  http::route_table routes;

  dashboard_fixture()
    : control(std::make_shared<actors::live_control>(*sys, *cluster, 1)),
      routes(http::make_admin_routes(*control, http_faults)) {
    http::add_dashboard_routes(routes, *control, history);
  }
  ~dashboard_fixture() {
    control->shutdown();
    time->drain();
  }

  http::response call(std::string target) {
    http::request req;
    req.method = "GET";
    req.target = std::move(target);
    return test::route_call(routes, *time, req);
  }

  json::value call_json(std::string target, unsigned status) {
    auto r = call(std::move(target));
    BOOST_TEST(r.status == status, r.body);
    return json::parse(r.body);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_dashboard_api)

BOOST_AUTO_TEST_CASE(the_page_and_its_files_are_served_from_the_binary) {
  dashboard_fixture f;
  auto page = f.call("/");
  BOOST_TEST(page.status == 200u);
  BOOST_TEST(page.content_type == "text/html; charset=utf-8");
  BOOST_TEST(page.body.find("ui/dashboard.js") != std::string::npos);
  for (auto file : {"dashboard.js", "dom.js", "dashboard.css", "uPlot.min.js", "uPlot.min.css"}) {
    auto r = f.call(std::string{"/ui/"} + file);
    BOOST_TEST(r.status == 200u, file);
    BOOST_TEST(r.body.size() > 500u, file);
  }
  BOOST_TEST(f.call("/ui/uPlot.min.js").content_type == "text/javascript; charset=utf-8");
  BOOST_TEST(f.call("/ui/nothing.js").status == 404u);
  BOOST_TEST(f.call("/ui/..%2Fetc%2Fpasswd").status == 404u);
}

BOOST_AUTO_TEST_CASE(the_snapshot_has_every_node_backend_and_the_hottest_tablets_first) {
  dashboard_fixture f;
  f.time->run_for(std::chrono::minutes{5});
  auto s = f.call_json("/sim/v1/dashboard?top=5", 200).as_object();
  BOOST_TEST(s.at("nodes").as_array().size() == 3u + 1 + 2 + 2); // BEs, FE, coordinator, overlord, workers
  const auto& bes = s.at("doris").at("backends").as_array();
  BOOST_TEST(bes.size() == 3u);
  std::int64_t replicas = 0;
  for (const auto& b : bes) {
    BOOST_TEST(b.at("up").as_bool());
    replicas += b.at("replicas").as_int64();
  }
  BOOST_TEST(s.at("doris").at("tablets").as_int64() == replicas);
  const auto& top = s.at("doris").at("top").as_array();
  BOOST_TEST(top.size() == 5u);
  auto hottest = [](const json::value& t) {
    return std::max(t.at("cumulativeScore").as_int64(), t.at("baseScore").as_int64());
  };
  for (std::size_t i = 1; i < top.size(); ++i)
    BOOST_TEST(hottest(top[i - 1]) >= hottest(top[i]));
  std::int64_t highest = 0;
  for (const auto& b : bes)
    highest = std::max({highest, b.at("maxCumulativeScore").as_int64(), b.at("maxBaseScore").as_int64()});
  BOOST_TEST(hottest(top[0]) == highest);
  BOOST_TEST(s.at("druid").at("enabled").as_bool());
  BOOST_TEST(s.at("druid").at("dataSources").as_array().size() == 3u);
  BOOST_TEST(s.at("druid").at("slots").at("total").as_int64() > 0);
}

BOOST_AUTO_TEST_CASE(faults_show_on_their_nodes_most_severe_first) {
  dashboard_fixture f;
  sim::fault_spec pause;
  pause.params = sim::faults::pause{};
  pause.targets = {"be:2"};
  f.control->inject(pause);
  sim::fault_spec crash;
  crash.params = sim::faults::crash{};
  crash.targets = {"be:2"};
  f.control->inject(crash);
  auto s = f.call_json("/sim/v1/dashboard", 200);
  const auto& be2 = s.at("nodes").at(2);
  BOOST_TEST(be2.at("node").as_string() == "be:2");
  BOOST_TEST(be2.at("state").as_string() == "crashed");
  BOOST_TEST(be2.at("kinds").as_array().size() == 2u);
  BOOST_TEST(s.at("nodes").at(0).at("state").as_string() == "up");
  // A crashed BE answers nothing: it is listed, not up.
  BOOST_TEST(!s.at("doris").at("backends").at(2).at("up").as_bool());
}

BOOST_AUTO_TEST_CASE(history_grows_once_per_simulated_instant_and_restarts_after_a_reset) {
  dashboard_fixture f;
  auto first = f.call_json("/sim/v1/dashboard?since=-1", 200);
  BOOST_TEST(first.at("history").at("t").as_array().size() == 1u);
  // The same instant again adds nothing.
  BOOST_TEST(f.call_json("/sim/v1/dashboard?since=-1", 200).at("history").at("t").as_array().size() == 1u);
  for (int i = 0; i < 7; ++i) {
    f.time->run_for(std::chrono::seconds{30});
    f.call("/sim/v1/dashboard");
  }
  auto all = f.call_json("/sim/v1/dashboard?since=-1", 200).at("history").as_object();
  BOOST_TEST(all.at("t").as_array().size() == 5u); // the capacity
  BOOST_TEST(all.at("cumulativeScore").as_array().size() == 3u);
  BOOST_TEST(all.at("cumulativeScore").at(0).as_array().size() == 5u);
  BOOST_TEST(all.at("dataSources").as_array().size() == 3u);
  auto last = all.at("t").as_array().back().as_int64();
  auto none = f.call_json("/sim/v1/dashboard?since=" + std::to_string(last), 200);
  BOOST_TEST(none.at("history").at("t").as_array().empty());

  std::string why;
  BOOST_TEST(f.control->reset(std::nullopt, why), why);
  f.time->drain();
  f.time->run_for(std::chrono::seconds{1});
  auto fresh = f.call_json("/sim/v1/dashboard?since=-1", 200);
  BOOST_TEST(fresh.at("generation").as_int64() > first.at("generation").as_int64());
  BOOST_TEST(fresh.at("history").at("t").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_tablets_rowsets_follow_its_versions) {
  dashboard_fixture f;
  f.time->run_for(std::chrono::minutes{2});
  auto top = f.call_json("/sim/v1/dashboard?top=1", 200).at("doris").at("top").at(0);
  auto id = top.at("tabletId").as_int64();
  auto be = top.at("be").as_int64();
  auto d = f.call_json("/sim/v1/dashboard/tablets/" + std::to_string(id) + "?be=" + std::to_string(be), 200).as_object();
  BOOST_TEST(d.at("tabletId").as_int64() == id);
  const auto& rowsets = d.at("rowsets").as_array();
  BOOST_TEST(!rowsets.empty());
  BOOST_TEST(rowsets.at(0).at("start").as_int64() == 0);
  for (std::size_t i = 1; i < rowsets.size(); ++i) // contiguous versions
    BOOST_TEST(rowsets[i].at("start").as_int64() == rowsets[i - 1].at("end").as_int64() + 1);
  BOOST_TEST(d.at("cumulativePoint").as_int64() >= 0);
  BOOST_TEST(d.at("lastStatus").as_object().contains("cumulative"));

  BOOST_TEST(f.call_json("/sim/v1/dashboard/tablets/1?be=0", 404).at("error").as_string() == "no tablet 1 on be:0");
  BOOST_TEST(f.call_json("/sim/v1/dashboard/tablets/" + std::to_string(id) + "?be=9", 404).at("error").as_string() == "no BE 9");
  f.call_json("/sim/v1/dashboard/tablets/abc?be=0", 400);
  f.call_json("/sim/v1/dashboard/tablets/1?be=-1", 400);
}

BOOST_AUTO_TEST_CASE(a_datasource_timeline_lists_its_chunks_newest_last) {
  dashboard_fixture f;
  auto d = f.call_json("/sim/v1/dashboard/datasources/wikipedia?limit=10", 200).as_object();
  const auto& chunks = d.at("chunks").as_array();
  BOOST_TEST(chunks.size() == 10u);
  BOOST_TEST(d.at("totalChunks").as_int64() >= 10);
  for (std::size_t i = 1; i < chunks.size(); ++i)
    BOOST_TEST(chunks[i].at("startMs").as_int64() >= chunks[i - 1].at("endMs").as_int64());
  BOOST_TEST(!chunks[0].at("compacted").as_bool()); // nothing compacted yet
  BOOST_TEST(f.call_json("/sim/v1/dashboard/datasources/nope", 404).at("error").as_string() == "no datasource 'nope'");
  f.call_json("/sim/v1/dashboard/datasources/wikipedia?limit=0", 400);
}

BOOST_AUTO_TEST_CASE(the_fault_vocabulary_is_every_kind_with_this_clusters_nodes) {
  dashboard_fixture f;
  auto v = f.call_json("/sim/v1/fault-kinds", 200).as_object();
  const auto& kinds = v.at("kinds").as_array();
  BOOST_TEST(kinds.size() == sim::all_fault_kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i)
    BOOST_TEST(kinds[i].at("kind").as_string() == sim::to_string(sim::all_fault_kinds[i]));
  // clock_skew needs its skew; task_failure targets only the overlord.
  for (const auto& k : kinds) {
    if (k.at("kind") == "clock_skew")
      BOOST_TEST(k.at("params").at(0).at("required").as_bool());
    if (k.at("kind") == "task_failure")
      BOOST_TEST(k.at("targets").as_array() == json::array{"overlord"});
  }
  const auto& nodes = v.at("nodes").as_array();
  BOOST_TEST(nodes.size() == 8u);
  BOOST_TEST(nodes.at(0).as_string() == "be:0");
}

BOOST_AUTO_TEST_CASE(bad_parameters_get_400_and_change_nothing) {
  dashboard_fixture f;
  f.call_json("/sim/v1/dashboard?top=-1", 400);
  f.call_json("/sim/v1/dashboard?top=abc", 400);
  f.call_json("/sim/v1/dashboard?top=1001", 400);
  f.call_json("/sim/v1/dashboard?since=x", 400);
  // Nothing was recorded by the refused calls.
  BOOST_TEST(f.call_json("/sim/v1/dashboard?since=-1", 200).at("history").at("t").as_array().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
