// Per-route HTTP request metrics: the route a request is counted under, the
// counters by status, the latency histogram, and Prometheus text that parses.

#include <boost/test/unit_test.hpp>

#include <map>
#include <regex>
#include <sstream>

#include "http/request_metrics.hpp"
#include "http/server.hpp"
#include "tests/http/test_client.hpp"

using namespace compactsim;

namespace {

http::request req(std::string method, std::string target) {
  http::request r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

/// Parses Prometheus text: every line a comment or `name{labels} value`.
std::map<std::string, double> parse_samples(const std::string& text) {
  // Label values are quoted and may hold braces ("/api/x/{id}").
  static const std::regex sample{
    R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf)$)"};
  std::map<std::string, double> out;
  std::istringstream lines{text};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE "))
      continue;
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_match(line, m, sample), line);
    out[m[1].str() + m[2].str()] = std::stod(m[3].str());
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_request_metrics)

BOOST_AUTO_TEST_CASE(a_request_counts_under_its_route_pattern) {
  http::route_table t;
  auto ok = [](const http::call&, http::responder r) { r(http::response::text(200, "ok")); };
  t.add("GET", "/api/compaction/show", ok);
  t.add("DELETE", "/sim/v1/faults/{id}", ok);
  BOOST_TEST(t.route_of(req("GET", "/api/compaction/show?tablet_id=1")) == "/api/compaction/show");
  BOOST_TEST(t.route_of(req("DELETE", "/sim/v1/faults/abc")) == "/sim/v1/faults/{id}");
  BOOST_TEST(t.route_of(req("GET", "/sim/v1/faults/abc")).empty()); // another method
  BOOST_TEST(t.route_of(req("GET", "/nowhere")).empty());
  BOOST_TEST(t.route_of(req("GET", "not a target")).empty());
}

BOOST_AUTO_TEST_CASE(counters_and_histograms_are_valid_prometheus_text) {
  http::route_table t;
  t.add("GET", "/api/x/{id}", [](const http::call&, http::responder r) { r(http::response::text(200, "ok")); });
  t.add("GET", "/silent", [](const http::call&, http::responder) {}); // never answers
  http::request_metrics metrics;
  // A real listener reports every answer, its own 504s and refusals included.
  http::server_limits limits;
  limits.handler_timeout = std::chrono::milliseconds{200};
  limits.body_limit = 16;
  http::server srv{limits, 1};
  boost::system::error_code ec;
  auto port = srv.listen("127.0.0.1", 0, [&t](http::request rq, http::responder r) { t.dispatch(rq, std::move(r)); },
                         ec, http::observer(t, "be:0", metrics));
  BOOST_REQUIRE(!ec);
  srv.start();
  for (auto target : {"/api/x/1", "/api/x/2", "/api/x/3", "/missing"})
    test::http_call(port, "GET", target);
  BOOST_TEST(test::http_call(port, "GET", "/silent").status == 504u);
  BOOST_TEST(test::http_call(port, "POST", "/api/x/1", std::string(64, 'x')).status == 413u);
  srv.stop();
  metrics.record("druid", "POST", "/druid/indexer/v1/task", 200, std::chrono::milliseconds{30});
  metrics.record("druid", "POST", "/druid/indexer/v1/task", 500, std::chrono::seconds{3});
  metrics.record("druid", "POST", "/druid/indexer/v1/task", 200, std::chrono::seconds{30});

  // Made-up methods share one series: no client grows /metrics (issue 13).
  for (int i = 0; i < 100; ++i)
    metrics.record("be:0", std::string(40, char('A' + i % 26)) + std::to_string(i), "other", 400,
                   std::chrono::milliseconds{1});

  auto text = metrics.prometheus();
  BOOST_TEST(text.find("AAAA") == std::string::npos);
  BOOST_TEST(text.find("# TYPE compactsim_http_requests_total counter") != std::string::npos);
  BOOST_TEST(text.find("# TYPE compactsim_http_request_duration_seconds histogram") != std::string::npos);
  auto s = parse_samples(text);
  const std::string x = R"({listener="be:0",method="GET",route="/api/x/{id}")";
  BOOST_TEST(s.at("compactsim_http_requests_total" + x + R"(,status="200"})") == 3);
  BOOST_TEST(s.at(R"(compactsim_http_requests_total{listener="be:0",method="GET",route="other",status="404"})") == 1);
  BOOST_TEST(s.at(R"(compactsim_http_requests_total{listener="be:0",method="GET",route="/silent",status="504"})") == 1);
  BOOST_TEST(s.at(R"(compactsim_http_requests_total{listener="be:0",method="other",route="other",status="413"})") == 1);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_count" + x + "}") == 3);
  BOOST_TEST(s.at(R"(compactsim_http_requests_total{listener="be:0",method="other",route="other",status="400"})") == 100);
  // Buckets are cumulative and end at the count.
  const std::string task = R"({listener="druid",method="POST",route="/druid/indexer/v1/task")";
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_bucket" + task + R"(,le="0.025"})") == 0);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_bucket" + task + R"(,le="0.05"})") == 1);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_bucket" + task + R"(,le="5"})") == 2);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_bucket" + task + R"(,le="10"})") == 2);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_bucket" + task + R"(,le="+Inf"})") == 3);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_count" + task + "}") == 3);
  BOOST_TEST(s.at("compactsim_http_request_duration_seconds_sum" + task + "}") == 33.03, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
