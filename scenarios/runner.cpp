#include "scenarios/runner_impl.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

namespace detail {

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
    result_.events += vc_->time->run_for(std::chrono::milliseconds{std::max<time_ms>(next - now(), 0)});
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
  scenarios::check_invariants(*vc_->cluster, sc_.invariants, corrupted_at_, memory_,
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
  if (!vc_->cluster->backends.empty()) {
    add(metric_check{"doris.max_cumulative_score", {}, {}, {}, {}});
    add(metric_check{"doris.max_version_count", {}, {}, {}, {}});
  }
  if (vc_->cluster->coordinator_model)
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
  vc_ = std::make_unique<actors::virtual_cluster>(sc_.cluster, this);
  vc_->time->set_work_bound(opts_.max_events);
  origin_ = vc_->time->now();
  if (!vc_->cluster) {
    result_.passed = false;
    result_.checks.push_back({"cluster", "assertion", false, 0, vc_->error, 1, {}, wall()});
    return result_;
  }
  auto& c = *vc_->cluster;
  faults_ = std::make_unique<actors::fault_injector>(*vc_->sys, c, sim::derive_seed(sc_.seed, sim::seed_stream::faults));
  for (std::size_t i = 0; i < c.backends.size(); ++i)
    be_routes_.push_back(http::make_doris_routes(*vc_->doris, static_cast<int>(i)));
  std::string error;
  if (c.coordinator_model) {
    druid_routes_ = http::make_druid_routes(*vc_->druid, sc_.cluster.druid.api_version());
    if (!apply_druid_setup(sc_, *c.coordinator_model, sc_.cluster.epoch_ms, error))
      assertion("cluster.druid.compaction", false, error);
  }
  for (const auto& [path, value] : sc_.resolved)
    runner_event("swarm.choice", {{"path", path}, {"value", value}});
  result_.events += vc_->time->drain();
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
  vc_->time->drain();
  result_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return result_;
}

} // namespace detail

std::string metric_key(const metric_check& m) {
  return m.args.empty() ? m.metric : m.metric + json::serialize(m.args);
}

run_result run_scenario(const scenario& sc, const run_options& opts) {
  detail::runner r{sc, opts};
  return r.run();
}

} // namespace compactsim::scenarios
