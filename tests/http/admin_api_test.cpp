// The control API through its route table on the deterministic scheduler:
// readiness, faults at runtime with the scenario files' JSON and their timed
// heals, and the Prometheus metrics.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "actors/live_control.hpp"
#include "http/control/admin_api.hpp"
#include "http/doris/be_api.hpp"
#include "sim/core/iso8601.hpp"
#include "sim/druid/overlord.hpp"
#include "tests/actors/fixture.hpp"
#include "tests/http/route_call.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

struct admin_fixture : test::cluster_fixture {
  std::shared_ptr<actors::live_control> control;
  http::http_fault_table http_faults{1};
  http::route_table routes;

  admin_fixture()
    : control(std::make_shared<actors::live_control>(*sys, *cluster, 1)),
      routes(http::make_admin_routes(*control, http_faults)) {}
  ~admin_fixture() {
    // The control owns the cluster it serves (after a reset, a new one).
    control->shutdown();
    time->drain();
  }

  http::response call(std::string method, std::string target, std::string body = {}) {
    http::request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    return test::route_call(routes, *time, req);
  }

  json::value call_json(std::string method, std::string target, unsigned status, std::string body = {}) {
    auto r = call(std::move(method), std::move(target), std::move(body));
    BOOST_TEST(r.status == status);
    return json::parse(r.body);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_admin_api)

BOOST_AUTO_TEST_CASE(a_crash_makes_readyz_fail_until_its_timed_heal) {
  admin_fixture f;
  BOOST_TEST(f.call("GET", "/healthz").body == R"({"status":"ok"})");
  auto ready = f.call_json("GET", "/readyz", 200);
  BOOST_TEST(ready.at("status").as_string() == "ready");
  BOOST_TEST(ready.at("nodes").as_array().size() == 6u);

  auto fault = f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "crash", "target": "be:1", "for": "30s"})");
  BOOST_TEST(fault.at("kind").as_string() == "crash");
  BOOST_TEST(fault.at("nodes").at(0).as_string() == "be:1");
  BOOST_TEST(fault.at("healAt").is_string());
  auto down = f.call_json("GET", "/readyz", 503);
  BOOST_TEST(std::string{down.at("reason").as_string()}.starts_with("be:1: "));
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().size() == 1u);

  f.time->run_for(std::chrono::seconds{31});
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().empty());
  BOOST_TEST(f.call_json("GET", "/readyz", 200).at("status").as_string() == "ready");
}

BOOST_AUTO_TEST_CASE(a_node_stays_down_while_any_crash_holds_it) {
  admin_fixture f;
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "a", "kind": "crash", "target": "be:0"})");
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "b", "kind": "crash", "target": "be:all"})");
  f.call_json("DELETE", "/sim/v1/faults/a", 200);
  auto still = f.call_json("GET", "/readyz", 503);
  BOOST_TEST(std::string{still.at("reason").as_string()}.starts_with("be:0: ")); // b holds it down
  f.call_json("DELETE", "/sim/v1/faults/b", 200);
  BOOST_TEST(f.call_json("GET", "/readyz", 200).at("status").as_string() == "ready");
  // A timed heal of an id that was healed and injected again heals only its own injection.
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "x", "kind": "disk_full", "target": "be:1", "for": "10s"})");
  f.call_json("DELETE", "/sim/v1/faults/x", 200);
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "x", "kind": "disk_full", "target": "be:1"})");
  f.time->run_for(std::chrono::seconds{11});
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(faults_are_listed_healed_one_by_one_or_all_and_bad_ones_rejected) {
  admin_fixture f;
  auto slow = f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "slow", "kind": "slow_disk", "factor": 4})");
  BOOST_TEST(slow.at("id").as_string() == "slow");
  BOOST_TEST(slow.at("nodes").as_array().size() == 3u); // be:all by default
  f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "task_failure", "probability": 0.5})");
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().size() == 2u);
  auto bad = f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "meteor"})");
  BOOST_TEST(bad.at("error").as_string() == "fault.kind: unknown fault \"meteor\"");
  f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "slow_disk", "factor": 0.5})");
  f.call_json("POST", "/sim/v1/faults", 400, "not json");
  // Issue 13/14: a node the cluster does not have, and a misspelt key, are refused.
  auto nobody = f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "crash", "target": "be:99"})");
  BOOST_TEST(nobody.at("error").as_string() == "fault.target: \"be:99\" names no node: the cluster has 3 backends (be:0..be:2)");
  f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "crash", "target": "be:0", "fro": "2m"})");
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().size() == 2u);
  f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "crash", "target": "be:x"})");
  BOOST_TEST(f.call_json("DELETE", "/sim/v1/faults/slow", 200).at("healed").at(0).as_string() == "slow");
  f.call_json("DELETE", "/sim/v1/faults/slow", 404);
  auto all = f.call_json("DELETE", "/sim/v1/faults", 200);
  BOOST_TEST(all.at("healed").as_array().size() == 1u);
  BOOST_TEST(f.call("PUT", "/sim/v1/faults").status == 405u);
  BOOST_TEST(f.call("GET", "/nothing").status == 404u);
  // The slow disk really reached the model, and its heal too.
  BOOST_TEST(f.cluster->backend_models[0]->faults().slowdown == 1.0);
}

BOOST_AUTO_TEST_CASE(network_faults_show_their_resolved_groups_and_reach_the_network) {
  admin_fixture f;
  auto cut = f.call_json("POST", "/sim/v1/faults", 201,
                         R"({"id": "cut", "kind": "partition", "groups": [["fe"], ["be:majority"]], "one_way": true})");
  BOOST_TEST(cut.at("kind").as_string() == "partition");
  BOOST_TEST(cut.at("oneWay").as_bool());
  const auto& groups = cut.at("groups").as_array();
  BOOST_REQUIRE(groups.size() == 2u);
  BOOST_TEST(groups[0].as_array().at(0).as_string() == "fe");
  BOOST_TEST(groups[1].as_array().size() == 2u); // a majority of three BEs
  auto cut_be = std::string{groups[1].as_array().at(0).as_string()};
  BOOST_TEST(f.cluster->net.decide("fe", cut_be).drop);
  BOOST_TEST(!f.cluster->net.decide(cut_be, "fe").drop);
  auto late = f.call_json("POST", "/sim/v1/faults", 201,
                          R"({"id": "late", "kind": "delay", "target": "be:0", "delay": "250ms", "jitter": "50ms"})");
  BOOST_TEST(late.at("delayMs").as_int64() == 250);
  BOOST_TEST(late.at("jitterMs").as_int64() == 50);
  auto skew = f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "clock_skew", "target": "be:1", "skew": "-30s"})");
  BOOST_TEST(skew.at("skewMs").as_int64() == -30'000);
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "stop", "kind": "pause", "target": "be:2"})");
  BOOST_TEST(f.control->backend_paused(2));
  f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "pause", "target": "overlord"})");
  f.call_json("POST", "/sim/v1/faults", 400, R"({"kind": "partition", "groups": [["fe"]]})");
  BOOST_TEST(f.call_json("DELETE", "/sim/v1/faults", 200).at("healed").as_array().size() == 4u);
  BOOST_TEST(f.cluster->net.quiet());
  BOOST_TEST(!f.control->backend_paused(2));
}

// Every table a request can grow is bounded: 1000 active faults and 1000
// HTTP fault rules; one more is refused with 409 and nothing changes.
BOOST_AUTO_TEST_CASE(faults_and_http_fault_rules_are_bounded) {
  admin_fixture f;
  for (int i = 0; i < 1000; ++i)
    BOOST_REQUIRE_EQUAL(f.call("POST", "/sim/v1/http-faults", R"({"path": "/x)" + std::to_string(i) + R"(", "status": 503})").status,
                        201u);
  auto over = f.call("POST", "/sim/v1/http-faults", R"({"status": 503})");
  BOOST_TEST(over.status == 409u);
  BOOST_TEST(over.body == R"({"error":"too many HTTP fault rules (at most 1000): delete some first"})");
  BOOST_TEST(f.call_json("GET", "/sim/v1/http-faults", 200).at("rules").as_array().size() == 1000u);
  f.call_json("DELETE", "/sim/v1/http-faults", 200);
  BOOST_TEST(f.call("POST", "/sim/v1/http-faults", R"({"status": 503})").status == 201u);

  for (int i = 0; i < 1000; ++i)
    BOOST_REQUIRE_EQUAL(f.call("POST", "/sim/v1/faults", R"({"kind": "slow_disk", "factor": 2, "target": "be:0"})").status,
                        201u);
  auto too_many = f.call("POST", "/sim/v1/faults", R"({"kind": "crash", "target": "be:1"})");
  BOOST_TEST(too_many.status == 409u);
  BOOST_TEST(too_many.body == R"({"error":"too many active faults (at most 1000): heal some first"})");
  BOOST_TEST(!f.control->backend_down(1));
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().size() == 1000u);
}

// A fault's heal waits on a timer; a reset makes it pointless, and stops
// it rather than leaving it pending until it fires (found by the control
// route fuzzer, whose memory grew with every reset).
BOOST_AUTO_TEST_CASE(a_reset_stops_the_old_clusters_timers) {
  admin_fixture f;
  f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "crash", "target": "be:1", "for": "10h"})");
  f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "slow_disk", "factor": 3, "target": "be:0", "for": "20h"})");
  BOOST_TEST(f.control->pending_timers() == 2u);
  f.call_json("POST", "/sim/v1/reset", 200);
  f.time->drain();
  BOOST_TEST(f.control->pending_timers() == 0u);
  // Timers of the new cluster still run: a fault heals when its time is up.
  f.call_json("POST", "/sim/v1/faults", 201, R"({"kind": "crash", "target": "be:1", "for": "5s"})");
  BOOST_TEST(f.control->pending_timers() == 1u);
  BOOST_TEST(f.control->backend_down(1));
  f.time->run_for(std::chrono::seconds{6});
  BOOST_TEST(f.control->pending_timers() == 0u);
  BOOST_TEST(!f.control->backend_down(1));
}

BOOST_AUTO_TEST_CASE(reset_brings_back_the_initial_cluster_without_a_restart) {
  admin_fixture f;
  f.control->on_reset([&f](const actors::cluster& c) { f.doris->retarget(c.router); });
  auto rowsets = [&f] {
    auto snap = f.ask<sim::tablet_snapshot>([&](auto cb) { f.doris->show(0, 10015, cb); });
    BOOST_REQUIRE(snap.ok());
    return snap.value->data.rowsets.size();
  };
  auto initial = rowsets();
  // Change the cluster: loads, a fault, an HTTP fault, faster time.
  f.call_json("POST", "/sim/v1/ingest", 202, R"({"doris": {"table": 10104, "loads": 30}})");
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "slow", "kind": "slow_disk", "factor": 5, "target": "be:0"})");
  f.call_json("POST", "/sim/v1/http-faults", 201, R"({"port": 8040, "status": 503})");
  f.time->run_for(std::chrono::seconds{5});
  BOOST_TEST(rowsets() > initial);
  auto before = f.control->current();
  auto t0 = f.control->now();

  auto done = f.call_json("POST", "/sim/v1/reset", 200);
  BOOST_TEST(done.at("reset").as_bool());
  f.time->drain();
  BOOST_TEST(f.control->current() != before);
  BOOST_TEST(f.control->now() >= t0); // simulated time goes on
  BOOST_TEST(f.call_json("GET", "/sim/v1/faults", 200).at("faults").as_array().empty());
  BOOST_TEST(f.call_json("GET", "/sim/v1/http-faults", 200).at("rules").as_array().empty());
  BOOST_TEST(f.control->current()->backend_models[0]->faults().slowdown == 1.0);
  BOOST_TEST(rowsets() == initial);
  // The old actors are gone; readiness asks the new ones.
  BOOST_TEST(f.call("GET", "/readyz").status == 200u);
}

BOOST_AUTO_TEST_CASE(reset_refuses_what_the_listeners_cannot_serve_and_bad_bodies) {
  admin_fixture f;
  auto before = f.control->current();
  auto no = f.call_json("POST", "/sim/v1/reset", 409, R"({"cluster": {"doris": {"backends": 5}}})");
  BOOST_TEST(std::string{no.at("error").as_string()}.starts_with("the cluster has 5 backends; this server listens for 3"));
  auto profile = f.call_json("POST", "/sim/v1/reset", 409, R"({"cluster": {"doris": {"api_profile": "2.1"}}})");
  BOOST_TEST(std::string{profile.at("error").as_string()}.find("API profile") != std::string::npos);
  f.call_json("POST", "/sim/v1/reset", 400, "not json");
  f.call_json("POST", "/sim/v1/reset", 400, R"({"cluster": {"doris": {"backends": "three"}}})");
  // Issue 13: no "cluster" (a typo) or a knob the model cannot run with is refused, not reset.
  f.call_json("POST", "/sim/v1/reset", 400, R"({"clustr": {"seed": 5}})");
  f.call_json("POST", "/sim/v1/reset", 400, R"({"cluster": {"doris": {"knobs": {"segment_size_bytes": 0}}}})");
  f.call_json("POST", "/sim/v1/reset", 400, R"({"cluster": {"epoch_ms": 9223372036854775807}})");
  BOOST_TEST(f.control->current() == before);
  // A different seed over the same shape is fine.
  f.call_json("POST", "/sim/v1/reset", 200, R"({"cluster": {"seed": 99}})");
  BOOST_TEST(f.control->current()->config.seed == 99u);
}

BOOST_AUTO_TEST_CASE(metrics_are_prometheus_text_for_every_backend_and_datasource) {
  admin_fixture f;
  f.time->run_for(std::chrono::minutes{2});
  auto r = f.call("GET", "/metrics");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.content_type.starts_with("text/plain; version=0.0.4"));
  for (const char* expected : {"# TYPE compactsim_be_compaction_tasks_started_total counter",
                               "compactsim_be_up{be=\"2\"} 1", "doris_be_tablet_cumulative_max_compaction_score{be=\"0\"}",
                               "compactsim_loads_published_total", "compactsim_druid_task_slots_capacity 8",
                               "compactsim_druid_segments{datasource=\"wikipedia\"} 8784",
                               "compactsim_druid_compaction_duty_runs_total 0"})
    BOOST_TEST(r.body.find(expected) != std::string::npos, expected);
  // Every line is a comment or "name{labels} value".
  std::istringstream lines{r.body};
  std::string line;
  while (std::getline(lines, line))
    BOOST_TEST((line.starts_with("#") || line.find(' ') != std::string::npos), line);
  f.call("POST", "/sim/v1/faults", R"({"kind": "crash", "target": "be:2"})");
  BOOST_TEST(f.call("GET", "/metrics").body.find("compactsim_be_up{be=\"2\"} 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(metrics_append_the_http_request_series_when_given) {
  admin_fixture f;
  http::request_metrics requests;
  requests.record("be:1", "POST", "/api/compaction/run", 200, std::chrono::milliseconds{3});
  auto routes = http::make_admin_routes(*f.control, f.http_faults, &requests);
  http::request req;
  req.method = "GET";
  req.target = "/metrics";
  auto r = test::route_call(routes, *f.time, req);
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body.find("compactsim_be_up{be=\"1\"} 1") != std::string::npos);
  BOOST_TEST(r.body.find(R"(compactsim_http_requests_total{listener="be:1",method="POST",route="/api/compaction/run",status="200"} 1)") !=
             std::string::npos);
  BOOST_TEST(f.call("GET", "/metrics").body.find("compactsim_http_requests_total") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(state_shows_nodes_paged_tablets_datasources_and_faults) {
  admin_fixture f;
  f.call("POST", "/sim/v1/faults", R"({"id": "down", "kind": "crash", "target": "be:2"})");
  auto s = f.call_json("GET", "/sim/v1/state?limit=5&offset=2", 200);
  const auto& bes = s.at("backends").as_array();
  BOOST_REQUIRE(bes.size() == 3u);
  BOOST_TEST(bes[0].at("up").as_bool());
  BOOST_TEST(bes[0].at("backend_id").as_int64() == 10001);
  BOOST_TEST(!bes[2].at("up").as_bool());
  const auto& tablets = s.at("tablets");
  BOOST_TEST(tablets.at("items").as_array().size() == 5u);
  BOOST_TEST(tablets.at("offset").to_number<int>() == 2);
  BOOST_TEST(tablets.at("total").to_number<int>() > 20);
  BOOST_TEST(s.at("datasources").as_array().size() == 3u);
  BOOST_TEST(s.at("faults").at(0).at("id").as_string() == "down");
  f.call_json("GET", "/sim/v1/state?limit=x", 400);
}

BOOST_AUTO_TEST_CASE(ingest_publishes_loads_and_segments_now) {
  admin_fixture f;
  auto before = f.cluster->backend_models[0]->find(10015)->rowsets.size();
  auto ok = f.call_json("POST", "/sim/v1/ingest", 202, R"({"doris": {"table": 10104, "loads": 3}})");
  BOOST_TEST(ok.at("doris").at("loads").as_int64() == 3);
  f.time->drain();
  BOOST_TEST(f.cluster->backend_models[0]->find(10015)->rowsets.size() == before + 3);
  auto segments = f.cluster->overlord_model->store().segment_count();
  f.call_json("POST", "/sim/v1/ingest", 202, R"({"druid": {"dataSource": "wikipedia_hour", "segments": 2}})");
  f.time->drain();
  BOOST_TEST(f.cluster->overlord_model->store().segment_count() == segments + 2);
  f.call_json("POST", "/sim/v1/ingest", 404, R"({"doris": {"table": 99}})");
  f.call_json("POST", "/sim/v1/ingest", 400, R"({"doris": {"table": 10104, "loads": 0}})");
  f.call_json("POST", "/sim/v1/ingest", 400, R"({})");
  f.call_json("POST", "/sim/v1/ingest", 400, "[]");
}

BOOST_AUTO_TEST_CASE(a_partitioned_backend_makes_no_progress_through_the_real_apis) {
  admin_fixture f;
  auto be1 = http::make_doris_routes(*f.doris, 1);
  auto versions = [&] {
    http::request req;
    req.method = "GET";
    req.target = "/api/compaction/show?tablet_id=10015"; // table 10104: compacted only by hand
    auto r = test::route_call(be1, *f.time, req);
    BOOST_REQUIRE(r.status == 200u);
    return json::parse(r.body).at("rowsets").as_array().size();
  };
  f.time->run_for(std::chrono::seconds{30});
  auto before = versions();
  f.call_json("POST", "/sim/v1/faults", 201, R"({"id": "cut", "kind": "partition", "target": "be:1"})");
  f.time->run_for(std::chrono::minutes{2});
  // Still readable over HTTP, but no load has reached it.
  BOOST_TEST(versions() == before);
  auto metrics = f.call("GET", "/metrics").body;
  BOOST_TEST(metrics.find("compactsim_loads_rejected_total 0") == std::string::npos); // loads failed meanwhile
  f.call_json("DELETE", "/sim/v1/faults/cut", 200);
  f.time->run_for(std::chrono::minutes{1});
  BOOST_TEST(versions() > before);
}

BOOST_AUTO_TEST_CASE(a_faster_clock_brings_the_duty_in) {
  admin_fixture f;
  auto start = f.call_json("GET", "/sim/v1/clock", 200);
  BOOST_TEST(start.at("speed").as_double() == 1.0);
  BOOST_TEST(f.call_json("POST", "/sim/v1/clock", 200, R"({"speed": 60})").at("speed").as_double() == 60.0);
  f.call_json("POST", "/sim/v1/clock", 400, R"({"speed": 0})");
  f.call_json("POST", "/sim/v1/clock", 400, R"({"speed": 1e-300})"); // the CLI's bounds, [0.001, 1e6]
  f.call_json("POST", "/sim/v1/clock", 400, R"({"pace": 2})");
  // The duty's PT300S start delay passes in 5 s of actor time at 60x.
  f.time->run_for(std::chrono::seconds{6});
  auto now = f.call_json("GET", "/sim/v1/clock", 200);
  auto t0 = *sim::druid::parse_instant(std::string{start.at("now").as_string()});
  auto t1 = *sim::druid::parse_instant(std::string{now.at("now").as_string()});
  BOOST_TEST(t1 - t0 >= 360'000);
  BOOST_TEST(f.call("GET", "/metrics").body.find("druid_compaction_duty_runs_total 1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
