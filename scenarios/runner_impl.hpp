#pragma once
//! The scenario runner's insides, shared by runner.cpp (the run: time,
//! checks, liveness, series) and runner_steps.cpp (what each step does:
//! HTTP calls and expectations, faults, ingest). Not a public API.

#include "scenarios/runner.hpp"

#include "scenarios/checks.hpp"
#include "scenarios/live_scenario.hpp"
#include "scenarios/trace_log.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include <boost/json.hpp>
#include <caf/send.hpp>

#include "actors/fault_injector.hpp"
#include "actors/virtual_cluster.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"

namespace compactsim::scenarios::detail {

namespace json = boost::json;

constexpr time_ms http_answer_limit = 60'000;   ///< virtual time an HTTP step may wait for its answer

/// Replaces ${name} with captured values (in strings, and in every string of a JSON value).
std::string substitute(const std::string& s, const std::map<std::string, std::string>& vars);
json::value substitute(const json::value& v, const std::map<std::string, std::string>& vars);
/// `actual` holds everything `expected` gives: objects member by member,
/// arrays element by element, numbers by value, "prefix*" strings by
/// prefix; otherwise `why` says where it does not.
bool subset(const json::value& expected, const json::value& actual, const std::string& path, std::string& why);
/// "metric = value, expected >= min ...": a failed metric check, for people.
std::string describe(const metric_check& m, double value);

struct http_result {
  unsigned status = 0;   ///< 0: no answer (connection refused, timeout)
  std::string body;
  std::string error;
};

class runner final : public sim::trace_sink {
public:
  runner(const scenario& sc, const run_options& opts) : sc_(sc), opts_(opts) {}

  run_result run();
  void emit(const sim::trace_event& e) override;

private:
  double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count(); }
  time_ms now() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(vc_->time->now() - origin_).count();
  }
  void advance_to(time_ms target);
  void execute(const step& s);
  http_result call(const http_spec& h);
  bool expect_ok(const expectation& x, const http_result& r, std::string& why) const;
  void capture(const step& s, const http_result& r);
  double metric(const metric_check& m) const;
  bool metric_ok(const metric_check& m, double& value) const;
  void assertion(const std::string& name, bool ok, const std::string& message, const metric_check* m = nullptr);
  void plan_series();
  void sample();
  void inject(const fault_spec& f);
  void ingest(const step& s);
  void heal(const std::string& id);
  void check_invariants();
  void violation(const std::string& name, const std::string& message);
  void liveness_phase();
  void runner_event(std::string_view kind, json::object data);
  void progress(bool done = false);

  const scenario& sc_;
  run_options opts_;
  std::unique_ptr<actors::virtual_cluster> vc_;  ///< the actor system, virtual time, the cluster and its services
  std::vector<http::route_table> be_routes_;
  std::optional<http::route_table> druid_routes_;
  caf::actor_clock::time_point origin_;
  std::map<std::string, std::string> vars_;
  std::unique_ptr<actors::fault_injector> faults_;
  std::map<std::int64_t, time_ms> corrupted_at_; ///< MoW table -> last corruption (absolute sim time)
  trace_log trace_;
  run_result result_;
  std::vector<check_result> assertions_;
  std::map<std::string, check_result> invariants_;
  invariant_memory memory_;                      ///< what the invariants saw at the last check
  time_ms next_check_ = 0;
  int last_progress_ = -1;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_line_ = started_;
};

} // namespace compactsim::scenarios::detail
