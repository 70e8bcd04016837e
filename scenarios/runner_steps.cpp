//! What each step of a scenario does: HTTP calls through the route tables
//! with their expectations and captures, metric assertions, faults, ingest
//! and heals.
#include "scenarios/runner_impl.hpp"

namespace compactsim::scenarios::detail {

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
    result_.events += vc_->time->drain();
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

double runner::metric(const metric_check& m) const { return read_metric(m, *vc_->cluster, trace_.by_node_kind()); }

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
  if (f.kind() == sim::fault_kind::corrupt_delete_bitmap)
    corrupted_at_[f.as<sim::faults::corrupt_delete_bitmap>()->table] = sc_.cluster.epoch_ms + now();
  json::array nodes;
  for (const auto& n : applied.nodes)
    nodes.push_back(json::string(n));
  runner_event("fault.inject", {{"id", applied.spec.id}, {"fault", sim::to_string(f.kind())}, {"nodes", nodes}});
  result_.bands.push_back({applied.spec.id, std::string{sim::to_string(f.kind())}, applied.nodes, now(), -1});
  result_.counts["faults"] += 1;
  result_.events += vc_->time->drain();
}

/// As POST /sim/v1/ingest does it (live_control::ingest_doris and
/// ingest_druid): loads through the FE's prepare and publish, segments
/// appended to the datasource's current hour.
void runner::ingest(const step& s) {
  const auto& in = s.ingest;
  if (in.doris_table) {
    if (!vc_->cluster->catalog.table(*in.doris_table))
      assertion(s.name, false, "ingest: no table " + std::to_string(*in.doris_table));
    else
      caf::anon_send(vc_->cluster->fe_coordinator, actors::load_now_atom::value, *in.doris_table,
                     static_cast<std::int32_t>(in.doris_loads), in.doris_delete);
  }
  if (in.druid_datasource) {
    if (!vc_->cluster->druid_overlord) {
      assertion(s.name, false, "ingest: the Druid side is disabled");
    } else {
      caf::anon_send(vc_->cluster->druid_overlord, actors::stream_atom::value,
                     sim::druid::stream_batch{*in.druid_datasource, in.druid_segments, in.druid_rows, in.druid_bytes});
    }
  }
  runner_event("ingest", {{"name", s.name}});
  result_.events += vc_->time->drain();
}

void runner::heal(const std::string& id) {
  auto it = faults_->active().find(id);
  if (it == faults_->active().end())
    return;
  auto kind = it->second.spec.kind();
  faults_->heal(id);
  runner_event("fault.heal", {{"id", id}, {"fault", sim::to_string(kind)}});
  for (auto& b : result_.bands)
    if (b.id == id && b.to < 0)
      b.to = now();
  result_.events += vc_->time->drain();
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

} // namespace compactsim::scenarios::detail
