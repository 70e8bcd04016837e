//! libFuzzer target: one request through a route table of the live
//! service (Doris BE, Druid router or the control API, chosen at build time
//! by COMPACTSIM_FUZZ_DORIS / _DRUID / _CONTROL) over a whole cluster on
//! CAF's test coordinator, as the HTTP tests run it.
//!
//! The input is a request as text: "METHOD TARGET", header lines
//! "Name: value", a blank line, then the body (fuzz/corpus/routes/ holds
//! the seeds). Properties checked on every answer: a status a client can
//! read (100-599), and a JSON body wherever the content type says JSON.
//! Sanitizers catch the rest (memory errors, undefined behaviour, leaks).

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "actors/live_control.hpp"
#include "http/control/admin_api.hpp"
#include "http/control/dashboard_api.hpp"
#include "http/control/recorder.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"
#include "http/http_faults.hpp"
#include "scenarios/live_scenario.hpp"
#include "tests/actors/fixture.hpp"

using namespace compactsim;

namespace {

/// The default cluster with a week of `wikipedia` instead of a year: the
/// same datasources, tables and code paths, but a listing of its segments
/// (which the seeds ask for) is 168 entries, not 8784, so each input runs
/// in a fraction of the time.
sim::cluster_config fuzz_cluster() {
  auto cfg = sim::default_cluster();
  for (auto& d : cfg.druid.datasources)
    if (d.name == "wikipedia")
      d.span = sim::druid::parse_interval("2020-01-01/2020-01-08");
  return cfg;
}

/// The test suites' cluster on the test coordinator, with the control API's
/// live control over it, and the route table under test.
struct harness : test::cluster_fixture {
  std::shared_ptr<actors::live_control> control;
  http::http_fault_table http_faults{1};
  std::optional<http::route_table> routes;

  harness()
    : cluster_fixture(fuzz_cluster()),
      control(std::make_shared<actors::live_control>(*sys, *cluster, sim::default_cluster().seed)) {
    control->on_reset([this](const actors::cluster& c) {
      doris->retarget(c.router);
      druid->retarget(c.druid_coordinator, c.druid_overlord);
    });
#if defined(COMPACTSIM_FUZZ_DORIS)
    routes.emplace(http::make_doris_routes(*doris, 0, 8040));
#elif defined(COMPACTSIM_FUZZ_DRUID)
    routes.emplace(http::make_druid_routes(*druid, sim::druid_version_max)); // every version's routes
#else
    routes.emplace(http::make_admin_routes(*control, http_faults));
    scenarios::add_scenario_route(*routes, *control, &http_faults);
    http::add_dashboard_routes(*routes, *control, std::make_shared<http::dashboard_history>());
    auto recorder = std::make_shared<http::session_recorder>([c = control] { return c->now(); });
    http::add_record_routes(*routes, *control, recorder, boost::json::value{}, sim::default_cluster().seed);
#endif
    time->drain();
  }

  /// Stops the cluster the control holds now (after a reset, not the one
  /// the fixture built) and its timers; the fixture stops its own.
  ~harness() {
    control->shutdown();
    time->drain();
  }
};

/// "METHOD TARGET\nName: value\n...\n\nbody" (CRLF or LF).
http::request parse_request(std::string_view in) {
  http::request req;
  auto line = [&in]() {
    auto end = in.find('\n');
    auto l = in.substr(0, end);
    in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
    if (!l.empty() && l.back() == '\r')
      l.remove_suffix(1);
    return l;
  };
  auto first = line();
  auto space = first.find(' ');
  req.method = std::string{first.substr(0, space)};
  req.target = space == std::string_view::npos ? "/" : std::string{first.substr(space + 1)};
  for (auto h = line(); !h.empty(); h = line()) {
    auto colon = h.find(':');
    if (colon == std::string_view::npos)
      continue;
    auto value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    req.headers.emplace_back(std::string{h.substr(0, colon)}, std::string{value});
  }
  req.body = std::string{in};
  req.remote_address = "127.0.0.1";
  return req;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Not destroyed at exit: the actor system's shutdown there would wait for
  // the cluster's actors; a pointer in a static keeps LeakSanitizer quiet.
  static harness* h = new harness;
  // Inputs leave state behind (ingested datasources, configs, thousands of
  // tasks), and every later request pays for it: listings grow and each
  // overlord step walks every task. A fresh harness every 2,000 inputs
  // keeps an input's cost near a seed's (the Druid routes went from about
  // 400 to 11,000 executions a second on one core) while every path stays
  // reachable (an input's own state is all it needs). It is a whole new
  // actor system, not a reset of the cluster: virtual time barely moves
  // here, so the delayed messages an input leaves on the test coordinator
  // (a speed change's superseded duty tick, a timeout hours away) would
  // never fire and never be freed, about 350 bytes an input.
  static unsigned inputs = 0;
  if (++inputs % 2000 == 0) {
    delete h;
    h = new harness;
  }
  auto req = parse_request({reinterpret_cast<const char*>(data), size});
  auto out = std::make_shared<std::optional<http::response>>();
  h->routes->dispatch(req, [out](http::response r) { *out = std::move(r); });
  h->time->drain();
  // A paused node never answers (live, the server's handler timeout does).
  for (int i = 0; i < 100 && !*out; ++i)
    h->time->run_for(std::chrono::milliseconds{100});
  if (!*out)
    return 0;
  const auto& r = **out;
  if (r.status < 100 || r.status > 599) {
    std::fprintf(stderr, "status %u\n", r.status);
    std::abort();
  }
  // An answer that succeeded and says JSON is JSON. (Errors may not be:
  // Druid's resources return a String entity under @Produces JSON, which
  // Jersey's StringProvider writes as plain text, e.g. "No filter provided".)
  if (r.status / 100 == 2 && r.content_type.rfind("application/json", 0) == 0 && !r.body.empty()) {
    // Bytes that are not UTF-8 pass: the real servers echo a request's raw
    // bytes into their JSON (rapidjson and Jackson write them as they are).
    boost::json::parse_options po;
    po.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    boost::json::parse(r.body, ec, {}, po);
    if (ec) { // a JSON content type with a body that is not JSON
      std::fprintf(stderr, "%u %s\n%s\n", r.status, r.content_type.c_str(), r.body.c_str());
      std::abort();
    }
  }
  return 0;
}
