// The live path end to end: the threaded actor system, the Beast listener on
// a loopback ephemeral port, and a real HTTP client.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cluster.hpp"
#include "actors/cluster_service.hpp"
#include "actors/druid_cluster_service.hpp"
#include "http/doris_api.hpp"
#include "http/druid_api.hpp"
#include "http/server.hpp"
#include "tests/http/doris_cases.hpp"
#include "tests/http/test_client.hpp"

using namespace compactsim;

BOOST_AUTO_TEST_SUITE(http_live)

BOOST_AUTO_TEST_CASE(a_real_client_drives_the_live_cluster) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::size_t{2});
  caf::actor_system sys{cfg};
  std::string error;
  auto cluster = actors::spawn_cluster(sys, sim::default_cluster(), error);
  BOOST_REQUIRE(cluster);
  actors::cluster_service service{sys, cluster->router, cluster->backends.size(), sim::api_profile::docs};
  auto routes = http::make_doris_routes(service, 0);
  http::server server{{}, 2};
  boost::system::error_code ec;
  auto port = server.listen("127.0.0.1", 0, [&routes](http::request req, http::responder r) {
    routes.dispatch(req, std::move(r));
  }, ec);
  BOOST_REQUIRE(!ec);
  server.start();

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

  server.stop();
  actors::stop_cluster(*cluster);
}

namespace {

/// A default cluster without live loads (so nothing moves between two
/// requests but what the requests start) behind a loopback listener.
struct quiet_live_cluster {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::optional<actors::cluster> cluster;
  std::unique_ptr<actors::cluster_service> service;
  http::route_table routes;
  http::server server{{}, 2};
  std::uint16_t port = 0;

  explicit quiet_live_cluster(sim::api_profile profile) {
    cfg.set("scheduler.max-threads", std::size_t{2});
    sys = std::make_unique<caf::actor_system>(cfg);
    auto config = sim::default_cluster();
    config.doris.workloads.clear();
    config.doris.profile = profile;
    std::string error;
    cluster = actors::spawn_cluster(*sys, config, error);
    BOOST_REQUIRE_MESSAGE(cluster, error);
    service = std::make_unique<actors::cluster_service>(*sys, cluster->router, cluster->backends.size(), profile);
    routes = http::make_doris_routes(*service, 0);
    boost::system::error_code ec;
    port = server.listen("127.0.0.1", 0, [this](http::request req, http::responder r) {
      routes.dispatch(req, std::move(r));
    }, ec);
    BOOST_REQUIRE(!ec);
    server.start();
  }

  ~quiet_live_cluster() {
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

} // namespace

BOOST_AUTO_TEST_CASE(every_documented_response_over_a_real_socket_in_both_profiles) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      quiet_live_cluster live{p};
      test::check_documented_responses(live.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_bad_input_over_a_real_socket_in_both_profiles) {
  for (auto p : {sim::api_profile::docs, sim::api_profile::v2_1}) {
    BOOST_TEST_CONTEXT("profile " << static_cast<int>(p)) {
      quiet_live_cluster live{p};
      test::check_bad_inputs(live.caller(), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_druid_router_answers_a_real_client) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::size_t{2});
  caf::actor_system sys{cfg};
  auto config = sim::default_cluster();
  config.doris.workloads.clear();
  std::string error;
  auto cluster = actors::spawn_cluster(sys, config, error);
  BOOST_REQUIRE(cluster);
  actors::druid_cluster_service service{sys, cluster->druid_coordinator, cluster->druid_overlord};
  auto routes = http::make_druid_routes(service);
  http::server server{{}, 2};
  boost::system::error_code ec;
  auto port = server.listen("127.0.0.1", 0, [&routes](http::request req, http::responder r) {
    routes.dispatch(req, std::move(r));
  }, ec);
  BOOST_REQUIRE(!ec);
  server.start();

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
  auto bad = test::http_call(port, "POST", "/druid/indexer/v1/task", "{");
  BOOST_TEST(bad.status == 400u);
  BOOST_TEST(test::http_call(port, "GET", "/status/health").body == "true");

  server.stop();
  actors::stop_cluster(*cluster);
}

BOOST_AUTO_TEST_SUITE_END()
