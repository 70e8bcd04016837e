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
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "actors/fault_injector.hpp"
#include "actors/virtual_time.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

namespace {

constexpr time_ms http_answer_limit = 60'000;   ///< virtual time an HTTP step may wait for its answer

/// Replaces ${name} with captured values.
std::string substitute(const std::string& s, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto start = s.find("${", i);
    if (start == std::string::npos) {
      out += s.substr(i);
      break;
    }
    auto end = s.find('}', start);
    if (end == std::string::npos) {
      out += s.substr(i);
      break;
    }
    out += s.substr(i, start - i);
    auto it = vars.find(s.substr(start + 2, end - start - 2));
    out += it == vars.end() ? s.substr(start, end - start + 1) : it->second;
    i = end + 1;
  }
  return out;
}

json::value substitute(const json::value& v, const std::map<std::string, std::string>& vars) {
  if (v.is_string())
    return json::string(substitute(std::string{v.get_string()}, vars));
  if (v.is_array()) {
    json::array a;
    for (const auto& x : v.get_array())
      a.push_back(substitute(x, vars));
    return a;
  }
  if (v.is_object()) {
    json::object o;
    for (const auto& [k, x] : v.get_object())
      o[k] = substitute(x, vars);
    return o;
  }
  return v;
}

/// `actual` holds everything `expected` gives; `why` says where it does not.
bool subset(const json::value& expected, const json::value& actual, const std::string& path, std::string& why) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      why = path + ": expected an object, got " + json::serialize(actual);
      return false;
    }
    for (const auto& [k, x] : expected.get_object()) {
      auto* a = actual.get_object().if_contains(k);
      if (!a) {
        why = path + "." + std::string{k} + ": missing";
        return false;
      }
      if (!subset(x, *a, path + "." + std::string{k}, why))
        return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.get_array().size() != expected.get_array().size()) {
      why = path + ": expected " + std::to_string(expected.get_array().size()) + " elements, got " +
            json::serialize(actual);
      return false;
    }
    for (std::size_t i = 0; i < expected.get_array().size(); ++i)
      if (!subset(expected.get_array()[i], actual.get_array()[i], path + "[" + std::to_string(i) + "]", why))
        return false;
    return true;
  }
  if (expected.is_number() && actual.is_number()) {
    if (expected.to_number<double>() == actual.to_number<double>())
      return true;
  } else if (expected.is_string() && actual.is_string()) {
    std::string_view e = expected.get_string(), a = actual.get_string();
    // "prefix*" matches any string that starts with prefix.
    if (e == a || (!e.empty() && e.back() == '*' && a.starts_with(e.substr(0, e.size() - 1))))
      return true;
  } else if (expected == actual) {
    return true;
  }
  why = path + ": expected " + json::serialize(expected) + ", got " + json::serialize(actual);
  return false;
}

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
    return std::chrono::duration_cast<std::chrono::milliseconds>(time_->now() - origin_).count();
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
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<actors::virtual_time> time_;
  std::optional<actors::cluster> cluster_;
  std::unique_ptr<actors::doris_cluster_service> doris_;
  std::unique_ptr<actors::druid_cluster_service> druid_;
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

void runner::emit(const sim::trace_event& e) { trace_.record(e.at - sc_.cluster.epoch_ms, e); }

void runner::runner_event(std::string_view kind, json::object data) { trace_.record(now(), "runner", kind, std::move(data)); }

void runner::progress(bool done) {
  if (opts_.progress_lines_every_s > 0 && !done) {
    auto wall = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(wall - last_line_).count() >= opts_.progress_lines_every_s) {
      last_line_ = wall;
      double elapsed = std::chrono::duration<double>(wall - started_).count();
      auto at = std::min<time_ms>(now(), sc_.duration);
      double eta = at > 0 ? elapsed * static_cast<double>(sc_.duration - at) / static_cast<double>(at) : 0;
      std::fprintf(stderr, "progress: %s of %s (%d%%), %.0f events/s, ETA %.0f s\n", format_duration(at).c_str(),
                   format_duration(sc_.duration).c_str(), static_cast<int>(100 * at / sc_.duration),
                   elapsed > 0 ? static_cast<double>(result_.events) / elapsed : 0.0, eta);
      std::fflush(stderr);
    }
  }
  if (!opts_.progress)
    return;
  int pct = static_cast<int>(100 * std::min<time_ms>(now(), sc_.duration) / sc_.duration);
  if (pct == last_progress_ && !done)
    return;
  last_progress_ = pct;
  std::fprintf(stderr, "\r[%-40s] %3d%%  %s", std::string(static_cast<std::size_t>(pct * 40 / 100), '#').c_str(), pct,
               format_duration(now()).c_str());
  if (done)
    std::fprintf(stderr, "\n");
}

void runner::advance_to(time_ms target) {
  while (now() < target) {
    time_ms next = std::min(target, next_check_);
    for (const auto& [id, f] : faults_->active())
      if (f.heal_at && *f.heal_at - sc_.cluster.epoch_ms > now())
        next = std::min(next, *f.heal_at - sc_.cluster.epoch_ms);
    result_.events += time_->run_for(std::chrono::milliseconds{std::max<time_ms>(next - now(), 0)});
    std::vector<std::string> due;
    for (const auto& [id, f] : faults_->active())
      if (f.heal_at && *f.heal_at - sc_.cluster.epoch_ms <= now())
        due.push_back(id);
    for (const auto& id : due)
      heal(id);
    if (now() >= next_check_) {
      check_invariants();
      sample();
      if (opts_.on_check)
        opts_.on_check(now());
      next_check_ += sc_.check_every;
    }
    progress();
  }
}

http_result runner::call(const http_spec& h) {
  http::request req;
  req.method = h.method;
  req.target = substitute(h.path, vars_);
  req.remote_address = "127.0.0.1";
  for (const auto& [k, v] : h.headers)
    req.headers.emplace_back(k, substitute(v, vars_));
  if (h.body)
    req.body = h.body->is_string() ? substitute(std::string{h.body->get_string()}, vars_)
                                   : json::serialize(substitute(*h.body, vars_));
  const http::route_table* routes = nullptr;
  http_result r;
  if (h.node == "druid") {
    if (!druid_routes_)
      r.error = "the Druid side is disabled";
    else
      routes = &*druid_routes_;
  } else {
    auto i = static_cast<std::size_t>(std::stoul(h.node.substr(3)));
    if (i >= be_routes_.size())
      r.error = "no such node " + h.node;
    else if (faults_->backend_down(i))
      r.error = "connection refused (" + h.node + " is down)";
    else if (faults_->backend_paused(i)) {
      // A stopped process takes the connection and never answers: the
      // client waits out its timeout.
      advance_to(now() + http_answer_limit);
      r.error = "no answer within " + format_duration(http_answer_limit) + " (" + h.node + " is paused)";
    } else
      routes = &be_routes_[i];
  }
  if (routes) {
    auto out = std::make_shared<std::optional<http::response>>();
    routes->dispatch(req, [out](http::response resp) { *out = std::move(resp); });
    result_.events += time_->drain();
    auto deadline = now() + http_answer_limit;
    while (!*out && now() < deadline)
      advance_to(now() + 10);
    if (*out) {
      r.status = (*out)->status;
      r.body = std::move((*out)->body);
    } else {
      r.error = "no answer within " + format_duration(http_answer_limit);
    }
  }
  runner_event("http", {{"node", h.node}, {"method", req.method}, {"path", req.target}, {"status", r.status}});
  return r;
}

bool runner::expect_ok(const expectation& x, const http_result& r, std::string& why) const {
  if (r.status == 0 && (x.status.value_or(1) != 0)) {
    why = r.error;
    return false;
  }
  if (x.status && *x.status != r.status) {
    why = "status " + std::to_string(r.status) + ", expected " + std::to_string(*x.status) + ": " + r.body.substr(0, 300);
    return false;
  }
  if (x.text && *x.text != r.body) {
    why = "body " + r.body.substr(0, 300) + ", expected " + *x.text;
    return false;
  }
  if (x.body) {
    boost::system::error_code ec;
    auto actual = json::parse(r.body, ec);
    if (ec) {
      why = "the body is not JSON: " + r.body.substr(0, 300);
      return false;
    }
    return subset(substitute(*x.body, vars_), actual, "body", why);
  }
  return true;
}

void runner::capture(const step& s, const http_result& r) {
  if (s.capture.empty())
    return;
  boost::system::error_code ec;
  auto body = json::parse(r.body, ec);
  for (const auto& [name, pointer] : s.capture) {
    const json::value* v = ec ? nullptr : body.find_pointer(pointer, ec);
    if (!v) {
      assertion(s.name + ": capture " + name, false, "nothing at " + pointer + " in " + r.body.substr(0, 300));
      continue;
    }
    vars_[name] = v->is_string() ? std::string{v->get_string()} : json::serialize(*v);
  }
}

void runner::assertion(const std::string& name, bool ok, const std::string& message, const metric_check* m) {
  assertions_.push_back({name, "assertion", ok, now(), ok ? std::string{} : message, ok ? 0 : 1, m ? metric_key(*m) : "",
                         wall()});
  if (!ok)
    runner_event("assertion.fail", {{"name", name}, {"message", message}});
}

double runner::metric(const metric_check& m) const { return read_metric(m, *cluster_, trace_.by_node_kind()); }

bool runner::metric_ok(const metric_check& m, double& value) const {
  value = metric(m);
  return (!m.min || value >= *m.min) && (!m.max || value <= *m.max) && (!m.equals || value == *m.equals);
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string describe(const metric_check& m, double value) {
  std::string out = m.metric;
  if (!m.args.empty())
    out += json::serialize(m.args);
  out += " = " + num(value);
  if (m.min)
    out += ", expected >= " + num(*m.min);
  if (m.max)
    out += ", expected <= " + num(*m.max);
  if (m.equals)
    out += ", expected == " + num(*m.equals);
  return out;
}

void runner::inject(const fault_spec& f) {
  auto applied = faults_->inject(f, sc_.cluster.epoch_ms + now());
  if (f.kind == sim::fault_kind::corrupt_delete_bitmap)
    corrupted_at_[f.table] = sc_.cluster.epoch_ms + now();
  json::array nodes;
  for (const auto& n : applied.nodes)
    nodes.push_back(json::string(n));
  runner_event("fault.inject", {{"id", applied.spec.id}, {"fault", sim::to_string(f.kind)}, {"nodes", nodes}});
  result_.bands.push_back({applied.spec.id, std::string{sim::to_string(f.kind)}, applied.nodes, now(), -1});
  result_.counts["faults"] += 1;
  result_.events += time_->drain();
}

/// As POST /sim/v1/ingest does it (live_control::ingest_doris and
/// ingest_druid): loads through the FE's prepare and publish, segments
/// appended to the datasource's current hour.
void runner::ingest(const step& s) {
  const auto& in = s.ingest;
  if (in.doris_table) {
    if (!cluster_->catalog.table(*in.doris_table))
      assertion(s.name, false, "ingest: no table " + std::to_string(*in.doris_table));
    else
      caf::anon_send(cluster_->fe_coordinator, actors::load_now_atom::value, *in.doris_table,
                     static_cast<std::int32_t>(in.doris_loads), in.doris_delete);
  }
  if (in.druid_datasource) {
    if (!cluster_->druid_overlord) {
      assertion(s.name, false, "ingest: the Druid side is disabled");
    } else {
      caf::anon_send(cluster_->druid_overlord, actors::exec_atom::value,
                     actors::streamed_segments(sc_.cluster.druid, *in.druid_datasource, in.druid_segments,
                                               in.druid_rows, in.druid_bytes));
    }
  }
  runner_event("ingest", {{"name", s.name}});
  result_.events += time_->drain();
}

void runner::heal(const std::string& id) {
  auto it = faults_->active().find(id);
  if (it == faults_->active().end())
    return;
  auto kind = it->second.spec.kind;
  faults_->heal(id);
  runner_event("fault.heal", {{"id", id}, {"fault", sim::to_string(kind)}});
  for (auto& b : result_.bands)
    if (b.id == id && b.to < 0)
      b.to = now();
  result_.events += time_->drain();
}

void runner::execute(const step& s) {
  switch (s.kind) {
  case step_kind::http: {
    auto r = call(s.http);
    std::string why;
    bool ok = expect_ok(s.expect, r, why);
    bool expects = s.expect.status || s.expect.body || s.expect.text;
    if (expects)
      assertion(s.name, ok, why);
    capture(s, r);
    break;
  }
  case step_kind::wait: {
    auto deadline = now() + s.timeout;
    std::string why = "never checked";
    for (;;) {
      bool ok = false;
      if (s.metric) {
        double value = 0;
        ok = metric_ok(*s.metric, value);
        why = describe(*s.metric, value);
      } else {
        auto r = call(s.http);
        ok = expect_ok(s.expect, r, why);
        if (ok)
          capture(s, r);
      }
      if (ok) {
        assertion(s.name, true, {}, s.metric ? &*s.metric : nullptr);
        break;
      }
      if (now() + s.every > deadline) {
        assertion(s.name, false, "not within " + format_duration(s.timeout) + ": " + why, s.metric ? &*s.metric : nullptr);
        break;
      }
      advance_to(now() + s.every);
    }
    break;
  }
  case step_kind::fault:
    inject(s.fault);
    break;
  case step_kind::heal: {
    std::vector<std::string> ids;
    for (const auto& [id, f] : faults_->active())
      if (s.heal == "all" || s.heal == id)
        ids.push_back(id);
    for (const auto& id : ids)
      heal(id);
    break;
  }
  case step_kind::ingest:
    ingest(s);
    break;
  case step_kind::check: {
    double value = 0;
    bool ok = metric_ok(*s.metric, value);
    sample();
    assertion(s.name, ok, describe(*s.metric, value), &*s.metric);
    break;
  }
  }
}

void runner::violation(const std::string& name, const std::string& message) {
  auto& r = invariants_[name];
  if (r.passed) {
    r.passed = false;
    r.at = now();
    r.message = message;
    r.wall_seconds = wall();
    runner_event("invariant.fail", {{"invariant", name}, {"message", message}});
  }
  ++r.violations;
}

void runner::check_invariants() {
  scenarios::check_invariants(*cluster_, sc_.invariants, corrupted_at_, memory_,
                              [this](const std::string& name, const std::string& message) { violation(name, message); });
}

void runner::liveness_phase() {
  const auto& live = *sc_.live;
  advance_to(live.heal_at);
  std::vector<std::string> ids;
  for (const auto& [id, f] : faults_->active())
    ids.push_back(id);
  for (const auto& id : ids)
    heal(id);
  runner_event("liveness.start", {{"within", live.within}});
  auto deadline = live.heal_at + live.within;
  for (;;) {
    std::string why, which;
    bool all = true;
    for (const auto& m : live.expect) {
      double value = 0;
      if (!metric_ok(m, value)) {
        all = false;
        why = describe(m, value);
        which = metric_key(m);
        break;
      }
    }
    if (all) {
      assertions_.push_back({"liveness: converges within " + format_duration(live.within) + " of healing", "liveness",
                             true, now(), {}, 0, metric_key(live.expect.front()), wall()});
      return;
    }
    if (now() >= deadline) {
      assertions_.push_back({"liveness: converges within " + format_duration(live.within) + " of healing", "liveness",
                             false, now(), "not converged: " + why, 1, which, wall()});
      runner_event("liveness.fail", {{"message", why}});
      return;
    }
    advance_to(std::min(deadline, now() + sc_.check_every));
  }
}

void runner::plan_series() {
  if (!opts_.record_series)
    return;
  auto add = [this](const metric_check& m) {
    auto key = metric_key(m);
    for (const auto& s : result_.series)
      if (s.key == key)
        return;
    result_.series.push_back({key, m, {}, {}});
  };
  for (const auto& s : sc_.steps)
    if (s.metric)
      add(*s.metric);
  if (sc_.live)
    for (const auto& m : sc_.live->expect)
      add(m);
  // The cluster's own vital signs, for a scenario that checks none of them.
  if (!cluster_->backends.empty()) {
    add(metric_check{"doris.max_cumulative_score", {}, {}, {}, {}});
    add(metric_check{"doris.max_version_count", {}, {}, {}, {}});
  }
  if (cluster_->coordinator_model)
    add(metric_check{"druid.bytes_awaiting", {}, {}, {}, {}});
}

void runner::sample() {
  for (auto& s : result_.series) {
    if (!s.t.empty() && s.t.back() == now())
      continue;
    s.t.push_back(now());
    s.v.push_back(metric(s.check));
  }
}

run_result runner::run() {
  auto wall0 = std::chrono::steady_clock::now();
  result_.seed = sc_.seed;
  if (!opts_.trace_file.empty())
    trace_.open(opts_.trace_file);
  actors::use_test_scheduler(cfg_);
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  time_ = std::make_unique<actors::virtual_time>(*sys_);
  time_->set_work_bound(opts_.max_events);
  origin_ = time_->now();
  std::string error;
  cluster_ = actors::spawn_cluster(*sys_, sc_.cluster, error, this);
  if (!cluster_) {
    result_.passed = false;
    result_.checks.push_back({"cluster", "assertion", false, 0, error, 1, {}, wall()});
    return result_;
  }
  auto& c = *cluster_;
  faults_ = std::make_unique<actors::fault_injector>(*sys_, c, sc_.seed ^ 0xfa017ULL);
  doris_ = std::make_unique<actors::doris_cluster_service>(*sys_, c.router, c.backends.size(), sc_.cluster.doris.profile);
  for (std::size_t i = 0; i < c.backends.size(); ++i)
    be_routes_.push_back(http::make_doris_routes(*doris_, static_cast<int>(i)));
  if (c.coordinator_model) {
    druid_ = std::make_unique<actors::druid_cluster_service>(*sys_, c.druid_coordinator, c.druid_overlord);
    druid_routes_ = http::make_druid_routes(*druid_);
    if (!apply_druid_setup(sc_, *c.coordinator_model, sc_.cluster.epoch_ms, error))
      assertion("cluster.druid.compaction", false, error);
  }
  for (const auto& [path, value] : sc_.resolved)
    runner_event("swarm.choice", {{"path", path}, {"value", value}});
  result_.events += time_->drain();
  result_.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  next_check_ = sc_.check_every;
  plan_series();
  sample();
  for (const auto& s : sc_.steps) {
    if (s.at_end)
      continue;
    if (sc_.live && s.at > sc_.live->heal_at && now() <= sc_.live->heal_at)
      liveness_phase();
    if (now() >= s.at + 1000)
      result_.late.push_back({s.index, s.name, s.at, now()});
    advance_to(s.at);
    execute(s);
  }
  if (sc_.live && now() <= sc_.live->heal_at)
    liveness_phase();
  advance_to(sc_.duration);
  for (const auto& s : sc_.steps)
    if (s.at_end)
      execute(s);
  check_invariants();
  sample();
  progress(true);
  for (auto& b : result_.bands)
    if (b.to < 0)
      b.to = now();

  for (const auto& name : sc_.invariants) {
    auto it = invariants_.find(name);
    check_result r = it == invariants_.end() ? check_result{name, "invariant", true, 0, {}, 0, {}, wall()} : it->second;
    r.name = name;
    r.kind = "invariant";
    result_.checks.push_back(r);
  }
  result_.checks.insert(result_.checks.begin(), assertions_.begin(), assertions_.end());
  result_.passed = std::all_of(result_.checks.begin(), result_.checks.end(), [](const check_result& r) { return r.passed; });
  result_.virtual_ms = now();
  result_.trace_digest = trace_.digest();
  result_.trace_events = trace_.events();
  for (const auto& [kind, n] : trace_.by_kind())
    result_.counts[kind] += n;
  auto max_metric = [&](const char* name) { return metric(metric_check{name, {}, {}, {}, {}}); };
  result_.summary["doris.max_version_count"] = max_metric("doris.max_version_count");
  result_.summary["doris.max_cumulative_score"] = max_metric("doris.max_cumulative_score");
  result_.summary["doris.max_base_score"] = max_metric("doris.max_base_score");
  result_.summary["doris.rejected_loads"] = max_metric("doris.rejected_loads");
  result_.summary["doris.duplicates"] = max_metric("doris.duplicates");
  if (c.coordinator_model) {
    result_.summary["druid.bytes_awaiting"] = max_metric("druid.bytes_awaiting");
    result_.summary["druid.segments"] = max_metric("druid.segments");
    result_.summary["druid.duty_runs"] = max_metric("druid.duty_runs");
  }
  actors::stop_cluster(c);
  time_->drain();
  result_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return result_;
}

} // namespace

std::string metric_key(const metric_check& m) {
  return m.args.empty() ? m.metric : m.metric + json::serialize(m.args);
}

run_result run_scenario(const scenario& sc, const run_options& opts) {
  runner r{sc, opts};
  return r.run();
}

} // namespace compactsim::scenarios
