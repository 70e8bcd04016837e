// The live path end to end: the threaded actor system, the Beast listener on
// a loopback ephemeral port, and a real HTTP client.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"
#include "http/server.hpp"
#include "tests/http/doris_cases.hpp"
#include "tests/http/test_client.hpp"

using namespace compactsim;

BOOST_AUTO_TEST_SUITE(http_live)

namespace {

/// A default cluster on the threaded scheduler behind a loopback listener
/// with the routes `make` builds. `quiet` drops the live loads, so nothing
/// moves between two requests but what the requests start.
struct live_cluster {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::optional<actors::cluster> cluster;
  std::unique_ptr<actors::doris_cluster_service> service;
  std::unique_ptr<actors::druid_cluster_service> druid;
  http::route_table routes;
  http::server server{{}, 2};
  std::uint16_t port = 0;

  template <class Make>
  live_cluster(sim::api_profile profile, bool quiet, Make make) {
    cfg.set("scheduler.max-threads", std::size_t{2});
    sys = std::make_unique<caf::actor_system>(cfg);
    auto config = sim::default_cluster();
    if (quiet)
      config.doris.workloads.clear();
    config.doris.profile = profile;
    std::string error;
    cluster = actors::spawn_cluster(*sys, config, error);
    BOOST_REQUIRE_MESSAGE(cluster, error);
    service = std::make_unique<actors::doris_cluster_service>(*sys, cluster->router, cluster->backends.size(), profile);
    druid = std::make_unique<actors::druid_cluster_service>(*sys, cluster->druid_coordinator, cluster->druid_overlord);
    routes = make(*this);
    boost::system::error_code ec;
    port = server.listen("127.0.0.1", 0, [this](http::request req, http::responder r) {
      routes.dispatch(req, std::move(r));
    }, ec);
    BOOST_REQUIRE(!ec);
    server.start();
  }

  ~live_cluster() {
    server.stop();
    if (cluster)
      actors::stop_cluster(*cluster);
  }

  test::caller caller() const {
    return [p = port](const std::string& method, const std::string& target) {
      auto reply = test::http_call(p, method, target);
      http::response r;
      r.status = reply.status;
      r.body = std::move(reply.body);
      r.content_type = std::move(reply.content_type);
      return r;
    };
  }
};

http::route_table doris_be0(live_cluster& c) { return http::make_doris_routes(*c.service, 0); }
http::route_table druid_router(live_cluster& c) { return http::make_druid_routes(*c.druid); }

} // namespace

BOOST_AUTO_TEST_CASE(a_real_client_drives_the_live_cluster) {
  live_cluster live{sim::api_profile::docs, false, doris_be0};
  auto port = live.port;
  auto run = test::http_call(port, "POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(run.body == R"({"status": "Success", "msg": "compaction task is successfully triggered."})");
  auto st = test::http_call(port, "GET", "/api/compaction/run_status?tablet_id=11308");
  BOOST_TEST(boost::json::parse(st.body).at("schema_hash").as_int64() == 700967178);
  auto nf = test::http_call(port, "POST", "/api/compaction/run?tablet_id=999999999&compact_type=base");
  BOOST_TEST(boost::json::parse(nf.body).at("msg").as_string() == "Tablet not found");
  auto wrong = test::http_call(port, "GET", "/api/compaction/run?tablet_id=10015&compact_type=full");
  BOOST_TEST(wrong.status == 404u);
  // Still answering after the bad request.
  BOOST_TEST(test::http_call(port, "GET", "/api/health").status == 200u);
}

BOOST_AUTO_TEST_CASE(every_documented_response_over_a_real_socket_in_both_profiles) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      live_cluster live{p, true, doris_be0};
      test::check_documented_responses(live.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_bad_input_over_a_real_socket_in_both_profiles) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      live_cluster live{p, true, doris_be0};
      test::check_bad_inputs(live.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_druid_router_answers_a_real_client) {
  live_cluster live{sim::api_profile::docs, true, druid_router};
  auto port = live.port;
  auto post = test::http_call(port, "POST", "/druid/coordinator/v1/config/compaction",
                              R"({"dataSource": "wikipedia_hour", "skipOffsetFromLatest": "PT0S"})",
                              {{"Content-Type", "application/json"}, {"X-Druid-Author", "live"}});
  BOOST_TEST(post.status == 200u);
  BOOST_TEST(post.body.empty());
  auto history = boost::json::parse(
    test::http_call(port, "GET", "/druid/coordinator/v1/config/compaction/wikipedia_hour/history").body);
  BOOST_TEST(history.at(0).at("auditInfo").at("author").as_string() == "live");
  BOOST_TEST(history.at(0).at("auditInfo").at("ip").as_string() == "127.0.0.1");
  BOOST_TEST(test::http_call(port, "POST", "/druid/coordinator/v1/compaction/compact").status == 200u);
  auto status = boost::json::parse(test::http_call(port, "GET", "/druid/coordinator/v1/compaction/status").body);
  BOOST_TEST(status.at("latestStatus").at(0).at("dataSource").as_string() == "wikipedia_hour");
  auto task = test::http_call(port, "POST", "/druid/indexer/v1/task",
                              R"({"type": "compact", "dataSource": "wikipedia", "interval": "2019-01-01/2019-01-02"})");
  BOOST_TEST(task.status == 200u);
  // Not JSON at all: Jackson's JsonParseException, which no Druid mapper takes.
  auto bad = test::http_call(port, "POST", "/druid/indexer/v1/task", "{");
  BOOST_TEST(bad.status == 500u);
  BOOST_TEST(test::http_call(port, "GET", "/status/health").body == "true");
}

BOOST_AUTO_TEST_SUITE_END()
