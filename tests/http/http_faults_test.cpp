// HTTP-level fault rules: matching by port and path prefix, probabilities,
// and what each action does to a request; and a real listener behind them.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "http/http_faults.hpp"
#include "http/server.hpp"
#include "tests/http/test_client.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

http::http_fault_rule rule(const char* text) {
  std::string error;
  auto r = http::parse_http_fault(json::parse(text), error);
  BOOST_REQUIRE_MESSAGE(r, error);
  return *r;
}

/// Dispatches through the faults with an inner handler that answers 200
/// "inner" and a delay that runs at once but remembers what it was asked.
struct harness {
  explicit harness(std::uint64_t seed = 7) : table(seed) {}
  http::http_fault_table table;
  std::vector<std::chrono::milliseconds> delays;
  http::dispatcher d = http::with_http_faults(
    [](http::request, http::responder r) { r(http::response::text(200, "inner")); }, table, 8040,
    [this](std::chrono::milliseconds ms, std::function<void()> fn) {
      delays.push_back(ms);
      fn();
    });

  std::optional<http::response> call(std::string target) {
    std::optional<http::response> out;
    http::request req;
    req.method = "GET";
    req.target = std::move(target);
    d(req, [&out](http::response r) { out = std::move(r); });
    return out;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_faults)

BOOST_AUTO_TEST_CASE(rules_parse_and_reject_what_they_do_not_understand) {
  auto r = rule(R"({"port": 8040, "path": "/api/compaction/run", "status": 503, "probability": 0.5})");
  BOOST_TEST(r.port.value() == 8040);
  BOOST_TEST(r.to_json().at("status").to_number<int>() == 503);
  std::string error;
  for (const char* bad : {R"({"status": 503, "reset": true})", R"({"path": "api"})", R"({"status": 42})",
                          R"({"latency_ms": -5})", R"({"reset": true, "probability": 2})", R"({"port": 0, "reset": true})"}) {
    error.clear();
    BOOST_TEST(!http::parse_http_fault(json::parse(bad), error).has_value(), bad);
    BOOST_TEST(!error.empty());
  }
}

BOOST_AUTO_TEST_CASE(each_action_does_what_it_says_only_where_it_matches) {
  harness h;
  h.table.add(rule(R"({"id": "s", "path": "/api/compaction/run", "status": 503})"));
  BOOST_TEST(h.call("/api/compaction/run?tablet_id=1")->status == 503u);
  BOOST_TEST(h.call("/api/health")->body == "inner");
  BOOST_TEST(h.table.remove("s"));
  h.table.add(rule(R"({"port": 9999, "reset": true})"));
  BOOST_TEST(h.call("/api/health")->body == "inner"); // another port
  h.table.clear();
  h.table.add(rule(R"({"path": "/api", "reset": true})"));
  BOOST_TEST(h.call("/api/health")->drop_connection);
  h.table.clear();
  h.table.add(rule(R"({"no_reply": true})"));
  BOOST_TEST(!h.call("/api/health").has_value());
  h.table.clear();
  h.table.add(rule(R"({"latency_ms": 200, "jitter_ms": 50})"));
  BOOST_TEST(h.call("/api/health")->body == "inner");
  BOOST_REQUIRE(h.delays.size() == 1u);
  BOOST_TEST(h.delays[0].count() >= 150);
  BOOST_TEST(h.delays[0].count() <= 250);
}

BOOST_AUTO_TEST_CASE(a_probability_hits_about_that_share_and_the_seed_decides) {
  auto share = [](std::uint64_t seed) {
    harness h{seed};
    h.table.add(rule(R"({"status": 500, "probability": 0.3})"));
    int hits = 0;
    for (int i = 0; i < 1000; ++i)
      hits += h.call("/x")->status == 500u ? 1 : 0;
    return hits;
  };
  auto a = share(1);
  BOOST_TEST(a > 240);
  BOOST_TEST(a < 360);
  BOOST_TEST(share(1) == a); // the same seed, the same hits
}

BOOST_AUTO_TEST_CASE(a_real_listener_resets_and_fails_on_rule) {
  http::http_fault_table table{3};
  http::server srv{{}, 2};
  boost::system::error_code ec;
  std::uint16_t port = 0;
  http::dispatcher inner = [](http::request, http::responder r) { r(http::response::text(200, "ok")); };
  port = srv.listen("127.0.0.1", 0, [&](http::request req, http::responder r) {
    http::with_http_faults(inner, table, port, [](auto, auto fn) { fn(); })(std::move(req), std::move(r));
  }, ec);
  BOOST_REQUIRE(!ec);
  srv.start();
  table.add(rule(R"({"path": "/reset", "reset": true})"));
  table.add(rule(R"({"path": "/busy", "status": 503, "body": "{\"error\":\"busy\"}"})"));
  BOOST_TEST(test::raw_exchange(port, "GET /reset HTTP/1.1\r\nHost: x\r\n\r\n").empty());
  auto busy = test::http_call(port, "GET", "/busy");
  BOOST_TEST(busy.status == 503u);
  BOOST_TEST(busy.body == R"({"error":"busy"})");
  BOOST_TEST(test::http_call(port, "GET", "/fine").body == "ok");
  srv.stop();
}

BOOST_AUTO_TEST_CASE(a_slow_body_arrives_whole_but_a_slice_at_a_time) {
  harness h;
  h.table.add(rule(R"({"path": "/slow", "slow_body_bps": 20})"));
  auto marked = h.call("/slow/x");
  BOOST_REQUIRE(marked);
  BOOST_TEST(marked->body_bytes_per_second == 20u);
  BOOST_TEST(marked->body == "inner");
  BOOST_TEST(h.call("/fast")->body_bytes_per_second == 0u);
  BOOST_TEST(rule(R"({"slow_body_bps": 20})").to_json().at("slow_body_bps").as_int64() == 20);
  std::string error;
  BOOST_TEST(!http::parse_http_fault(json::parse(R"({"slow_body_bps": 0})"), error));
  BOOST_TEST(!http::parse_http_fault(json::parse(R"({"slow_body_bps": 5, "status": 500})"), error));

  // Over a real socket: 40 bytes at 20 bytes/s take about two seconds, and
  // the client gets every byte under the announced Content-Length.
  http::server srv{{}, 2};
  boost::system::error_code ec;
  std::uint16_t port = 0;
  std::string forty(40, 'x');
  http::dispatcher inner = [&forty](http::request, http::responder r) { r(http::response::text(200, forty)); };
  port = srv.listen("127.0.0.1", 0, [&](http::request req, http::responder r) {
    http::with_http_faults(inner, h.table, port, [](auto, auto fn) { fn(); })(std::move(req), std::move(r));
  }, ec);
  BOOST_REQUIRE(!ec);
  srv.start();
  h.table.clear();
  h.table.add(rule(R"({"path": "/slow", "slow_body_bps": 20})"));
  auto started = std::chrono::steady_clock::now();
  auto slow = test::http_call(port, "GET", "/slow");
  auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(slow.status == 200u);
  BOOST_TEST(slow.body == forty);
  BOOST_TEST(took >= std::chrono::milliseconds{1500}); // 19 pauses of 100 ms at least
  // The connection stays usable afterwards (keep-alive), and other paths are unaffected.
  BOOST_TEST(test::http_call(port, "GET", "/other").body == forty);
  srv.stop();
}

BOOST_AUTO_TEST_SUITE_END()
