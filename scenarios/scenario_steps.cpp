//! The scenario format's parts below the top level: steps (http, expect,
//! capture, wait, fault, heal, assert, ingest), metric checks, durations and
//! {"range": [lo, hi]} values. parse_scenario (scenario.cpp) reads the top
//! level and calls these.
#include "scenarios/scenario_reader.hpp"
#include "config/fault_reader.hpp"
#include "config/json_keys.hpp"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "sim/core/iso8601.hpp"

namespace compactsim::scenarios::detail {

namespace json = boost::json;

void resolve_ranges(json::value& v, const std::string& path, sim::rng& r,
                    std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    auto& o = v.get_object();
    if (o.size() == 1 && o.contains("range") && o.at("range").is_array() && o.at("range").as_array().size() == 2 &&
        o.at("range").as_array()[0].is_number() && o.at("range").as_array()[1].is_number()) {
      const auto& a = o.at("range").as_array();
      if (a[0].is_int64() && a[1].is_int64()) {
        auto lo = std::min(a[0].get_int64(), a[1].get_int64()), hi = std::max(a[0].get_int64(), a[1].get_int64());
        v = r.between(lo, hi);
      } else {
        auto lo = a[0].to_number<double>(), hi = a[1].to_number<double>();
        // Three decimals: printable and the same on every platform.
        v = std::round((lo + (hi - lo) * r.unit()) * 1000.0) / 1000.0;
      }
      out.emplace_back(path, json::serialize(v));
      return;
    }
    for (auto& [k, x] : o)
      resolve_ranges(x, path.empty() ? std::string{k} : path + "." + std::string{k}, r, out);
  } else if (v.is_array()) {
    auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i)
      resolve_ranges(a[i], path + "[" + std::to_string(i) + "]", r, out);
  }
}

bool ranges_at_bound(json::value& v, bool upper) {
  bool found = false;
  if (v.is_object()) {
    auto& o = v.get_object();
    if (o.size() == 1 && o.contains("range") && o.at("range").is_array() && o.at("range").as_array().size() == 2 &&
        o.at("range").as_array()[0].is_number() && o.at("range").as_array()[1].is_number()) {
      const auto& a = o.at("range").as_array();
      bool first_low = a[0].to_number<double>() <= a[1].to_number<double>();
      json::value bound = a[(first_low == upper) ? 1 : 0];
      v = bound;
      return true;
    }
    for (auto& [k, x] : o)
      found |= ranges_at_bound(x, upper);
  } else if (v.is_array()) {
    for (auto& x : v.get_array())
      found |= ranges_at_bound(x, upper);
  }
  return found;
}

bool known_keys(const json::object& o, const std::string& path, std::initializer_list<std::string_view> allowed,
                errors& e) {
  if (auto bad = config::unknown_key(o, allowed))
    return e.fail((path.empty() ? "" : path + ".") + *bad, config::unknown_key_message(*bad, allowed));
  return true;
}

bool read_http(const json::value& v, const std::string& path, http_spec& h, errors& e) {
  if (!v.is_object())
    return e.fail(path, "expected an object with node, method and path");
  const auto& o = v.as_object();
  if (!known_keys(o, path, {"node", "method", "path", "body", "headers"}, e))
    return false;
  auto str = [&](std::string_view key, std::string& out, bool required) {
    auto* x = o.if_contains(key);
    if (!x)
      return !required || e.fail(path + "." + std::string{key}, "required");
    if (!x->is_string())
      return e.fail(path + "." + std::string{key}, "expected a string");
    out = std::string{x->get_string()};
    return true;
  };
  if (!str("node", h.node, true) || !str("method", h.method, false) || !str("path", h.path, true))
    return false;
  if (h.node != "druid" && !(h.node.starts_with("be:") && h.node.size() > 3 && h.node.size() <= 9 &&
                             std::all_of(h.node.begin() + 3, h.node.end(), ::isdigit)))
    return e.fail(path + ".node", "expected \"druid\" or \"be:N\"");
  if (h.path.empty() || h.path[0] != '/')
    return e.fail(path + ".path", "must start with /");
  if (auto* b = o.if_contains("body"))
    h.body = *b;
  if (auto* hs = o.if_contains("headers")) {
    if (!hs->is_object())
      return e.fail(path + ".headers", "expected an object of strings");
    for (const auto& [k, x] : hs->as_object()) {
      if (!x.is_string())
        return e.fail(path + ".headers." + std::string{k}, "expected a string");
      h.headers.emplace_back(std::string{k}, std::string{x.get_string()});
    }
  }
  return true;
}

bool read_expect(const json::value& v, const std::string& path, expectation& x, errors& e) {
  if (!v.is_object())
    return e.fail(path, "expected an object with status and body");
  const auto& o = v.as_object();
  if (!known_keys(o, path, {"status", "body", "text"}, e))
    return false;
  if (auto* s = o.if_contains("status")) {
    if (!s->is_int64() || s->get_int64() < 0 || s->get_int64() > 999)
      return e.fail(path + ".status", "expected an HTTP status code");
    x.status = static_cast<unsigned>(s->get_int64());
  }
  if (auto* b = o.if_contains("body"))
    x.body = *b;
  if (auto* t = o.if_contains("text")) {
    if (!t->is_string())
      return e.fail(path + ".text", "expected a string");
    x.text = std::string{t->get_string()};
  }
  return true;
}

/// The args each metric takes, with their types; anything else is refused
/// (issue 14: "type" on running_compactions used to be ignored silently).
bool check_metric_args(const metric_check& m, const std::string& path, errors& e) {
  std::vector<std::string_view> allowed;
  const auto& name = m.metric;
  if (name == "doris.loads" || name == "doris.rejected_loads" || name == "doris.held_publishes")
    allowed = {"be"};
  else if (name == "doris.compactions")
    allowed = {"be", "type", "outcome"};
  else if (name == "doris.running_compactions")
    allowed = {"be", "table", "tablet", "type"};
  else if (name.starts_with("doris."))
    allowed = {"be", "table", "tablet"};
  else if (name == "druid.tasks")
    allowed = {"dataSource", "state"};
  else if (name != "druid.duty_runs")
    allowed = {"dataSource"};
  for (const auto& arg : m.args) {
    std::string_view k = arg.key();
    const auto& value = arg.value(); // a plain reference: lambdas may capture it
    auto at = path + "." + std::string{k};
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return e.fail(at, "\"" + name + "\" takes no argument \"" + std::string{k} + "\"");
    if ((k == "be" || k == "table" || k == "tablet") && (!value.is_int64() || value.get_int64() < 0))
      return e.fail(at, "expected a non-negative integer");
    auto one_of = [&](std::initializer_list<std::string_view> options) {
      return value.is_string() &&
             std::find(options.begin(), options.end(), std::string_view{value.get_string()}) != options.end();
    };
    if (k == "type" && !one_of({"base", "cumulative", "full"}))
      return e.fail(at, "expected base, cumulative or full");
    if (k == "outcome" && !one_of({"finish", "fail"}))
      return e.fail(at, "expected finish or fail");
    if (k == "state" && !one_of({"SUCCESS", "FAILED", "RUNNING", "active", "all"}))
      return e.fail(at, "expected SUCCESS, FAILED, RUNNING, active or all");
    if (k == "dataSource" && !value.is_string())
      return e.fail(at, "expected a string");
  }
  return true;
}

bool read_metric(const json::value& v, const std::string& path, metric_check& m, errors& e) {
  if (!v.is_object() || !v.as_object().contains("metric") || !v.at("metric").is_string())
    return e.fail(path, "expected {\"metric\": name, \"min\"|\"max\"|\"equals\": number}");
  const auto& o = v.as_object();
  m.metric = std::string{o.at("metric").get_string()};
  static const std::vector<std::string> known{
    "doris.max_version_count", "doris.max_cumulative_score", "doris.max_base_score", "doris.rejected_loads",
    "doris.duplicates", "doris.compactions", "doris.running_compactions", "doris.rowsets", "doris.loads",
    "doris.held_publishes",
    "druid.bytes_awaiting", "druid.bytes_skipped", "druid.segments", "druid.tasks", "druid.duty_runs"};
  if (std::find(known.begin(), known.end(), m.metric) == known.end())
    return e.fail(path + ".metric", "unknown metric \"" + m.metric + "\"");
  if (auto* a = o.if_contains("args")) {
    if (!a->is_object())
      return e.fail(path + ".args", "expected an object");
    m.args = a->as_object();
    if (!check_metric_args(m, path + ".args", e))
      return false;
  }
  for (auto [key, slot] : {std::pair{"min", &m.min}, std::pair{"max", &m.max}, std::pair{"equals", &m.equals}})
    if (auto* x = o.if_contains(key)) {
      if (!x->is_number())
        return e.fail(path + "." + key, "expected a number");
      *slot = x->to_number<double>();
    }
  if (!m.min && !m.max && !m.equals)
    return e.fail(path, "give min, max or equals");
  return true;
}

/// Work bounds a file is held to before it runs: a run that polls or checks
/// more often than this would spend its time on bookkeeping, not the cluster.
bool read_duration(const json::object& o, std::string_view key, const std::string& path, time_ms& out, errors& e) {
  auto* v = o.if_contains(key);
  if (!v)
    return true;
  auto d = parse_duration(*v);
  if (!d || *d < 0)
    return e.fail((path.empty() ? "" : path + ".") + std::string{key},
                  "expected a duration such as \"90s\", \"5m\", \"2h\" or \"PT5M\"");
  out = *d;
  return true;
}

/// {"doris": {"table", "loads", "delete"}, "druid": {"dataSource", "segments", "rows", "bytes"}}.
bool read_ingest(const json::value& v, const std::string& path, ingest_spec& in, errors& e) {
  if (!v.is_object() || v.as_object().empty())
    return e.fail(path, R"(expected {"doris": {...}} and/or {"druid": {...}})");
  const auto& o = v.as_object();
  if (!known_keys(o, path, {"doris", "druid"}, e))
    return false;
  auto count = [&](const json::object& x, std::string_view key, const std::string& where, std::int64_t lo,
                   std::int64_t hi, std::int64_t& out) {
    auto* n = x.if_contains(key);
    if (!n)
      return true;
    if (!n->is_int64() || n->get_int64() < lo || n->get_int64() > hi)
      return e.fail(where + "." + std::string{key}, "expected an integer in [" + std::to_string(lo) + ", " +
                                                        std::to_string(hi) + "]");
    out = n->get_int64();
    return true;
  };
  if (auto* d = o.if_contains("doris")) {
    if (!d->is_object() || !known_keys(d->as_object(), path + ".doris", {"table", "loads", "delete"}, e))
      return e.out.empty() ? e.fail(path + ".doris", "expected an object") : false;
    const auto& x = d->as_object();
    std::int64_t table = 0, loads = 1;
    if (!x.contains("table"))
      return e.fail(path + ".doris.table", "required: the table's id");
    if (!count(x, "table", path + ".doris", 1, INT64_MAX, table) || !count(x, "loads", path + ".doris", 1, 10'000, loads))
      return false;
    if (auto* del = x.if_contains("delete")) {
      if (!del->is_bool())
        return e.fail(path + ".doris.delete", "expected true or false");
      in.doris_delete = del->get_bool();
    }
    in.doris_table = table;
    in.doris_loads = static_cast<int>(loads);
  }
  if (auto* d = o.if_contains("druid")) {
    if (!d->is_object() || !known_keys(d->as_object(), path + ".druid", {"dataSource", "segments", "rows", "bytes"}, e))
      return e.out.empty() ? e.fail(path + ".druid", "expected an object") : false;
    const auto& x = d->as_object();
    auto* ds = x.if_contains("dataSource");
    if (!ds || !ds->is_string() || ds->get_string().empty())
      return e.fail(path + ".druid.dataSource", "required: the datasource's name");
    std::int64_t segments = 1;
    if (!count(x, "segments", path + ".druid", 1, 10'000, segments) ||
        !count(x, "rows", path + ".druid", 1, INT64_MAX / 2, in.druid_rows) ||
        !count(x, "bytes", path + ".druid", 1, INT64_MAX / 2, in.druid_bytes))
      return false;
    in.druid_datasource = std::string{ds->get_string()};
    in.druid_segments = static_cast<int>(segments);
  }
  return true;
}

bool read_step(const json::value& v, const std::string& path, std::size_t index, step& s, errors& e) {
  if (!v.is_object())
    return e.fail(path, "expected an object");
  const auto& o = v.as_object();
  s.index = index;
  if (!known_keys(o, path, {"at", "name", "http", "expect", "capture", "wait", "fault", "heal", "assert", "ingest"}, e))
    return false;
  if (auto* at = o.if_contains("at"); at && at->is_string() && at->get_string() == "end") {
    s.at_end = true;
  } else if (!read_duration(o, "at", path, s.at, e)) {
    return false;
  }
  const char* kinds[] = {"http", "wait", "fault", "heal", "assert", "ingest"};
  int found = 0;
  for (const char* k : kinds)
    found += o.contains(k) ? 1 : 0;
  if (found != 1)
    return e.fail(path, "give exactly one of http, wait, fault, heal, assert and ingest");
  if (auto* n = o.if_contains("name"); n && n->is_string())
    s.name = std::string{n->get_string()};
  if (auto* c = o.if_contains("capture")) {
    if (!c->is_object())
      return e.fail(path + ".capture", "expected {\"name\": \"/json/pointer\"}");
    for (const auto& [k, x] : c->as_object()) {
      if (!x.is_string())
        return e.fail(path + ".capture." + std::string{k}, "expected a JSON pointer string");
      s.capture[std::string{k}] = std::string{x.get_string()};
    }
  }
  std::string label;
  if (auto* h = o.if_contains("http")) {
    s.kind = step_kind::http;
    if (!read_http(*h, path + ".http", s.http, e))
      return false;
    if (auto* x = o.if_contains("expect"); x && !read_expect(*x, path + ".expect", s.expect, e))
      return false;
    label = s.http.method + " " + s.http.path;
  } else if (auto* w = o.if_contains("wait")) {
    s.kind = step_kind::wait;
    if (!w->is_object())
      return e.fail(path + ".wait", "expected an object");
    const auto& wo = w->as_object();
    if (!known_keys(wo, path + ".wait",
                    {"http", "until", "metric", "args", "min", "max", "equals", "every", "timeout"}, e))
      return false;
    if (auto* h = wo.if_contains("http")) {
      if (!read_http(*h, path + ".wait.http", s.http, e))
        return false;
      if (!wo.contains("until") || !read_expect(wo.at("until"), path + ".wait.until", s.expect, e))
        return e.fail(path + ".wait.until", "required with http: the status and body to wait for");
      label = "wait for " + s.http.method + " " + s.http.path;
    } else {
      metric_check m;
      if (!read_metric(*w, path + ".wait", m, e))
        return false;
      s.metric = m;
      label = "wait for " + m.metric;
    }
    if (!read_duration(wo, "every", path + ".wait", s.every, e) ||
        !read_duration(wo, "timeout", path + ".wait", s.timeout, e))
      return false;
    if (s.every <= 0)
      return e.fail(path + ".wait.every", "must be positive");
    if (s.timeout / s.every > max_polls)
      return e.fail(path + ".wait.every", "polls at most " + std::to_string(max_polls) +
                                              " times over its timeout: make it longer or the timeout shorter");
  } else if (auto* f = o.if_contains("fault")) {
    s.kind = step_kind::fault;
    std::string fault_error;
    if (!config::parse_fault(*f, path + ".fault", s.fault, fault_error)) {
      if (e.out.empty())
        e.out = fault_error;
      return false;
    }
    if (s.fault.id.empty())
      s.fault.id = "fault-" + std::to_string(index);
    label = sim::to_string(s.fault.kind());
  } else if (auto* in = o.if_contains("ingest")) {
    s.kind = step_kind::ingest;
    if (!read_ingest(*in, path + ".ingest", s.ingest, e))
      return false;
    label = "ingest";
  } else if (auto* h = o.if_contains("heal")) {
    s.kind = step_kind::heal;
    if (!h->is_string())
      return e.fail(path + ".heal", "expected a fault id or \"all\"");
    s.heal = std::string{h->get_string()};
    label = "heal " + s.heal;
  } else {
    s.kind = step_kind::check;
    const auto& a = o.at("assert");
    if (a.is_object() && a.as_object().contains("http")) {
      s.kind = step_kind::http;
      if (!read_http(a.at("http"), path + ".assert.http", s.http, e) ||
          !a.as_object().contains("expect") || !read_expect(a.at("expect"), path + ".assert.expect", s.expect, e))
        return e.fail(path + ".assert", "an HTTP assertion needs http and expect");
      label = s.http.method + " " + s.http.path;
    } else {
      metric_check m;
      if (a.is_object() && !known_keys(a.as_object(), path + ".assert", {"metric", "args", "min", "max", "equals"}, e))
        return false;
      if (!read_metric(a, path + ".assert", m, e))
        return false;
      s.metric = m;
      label = m.metric;
    }
  }
  if (s.name.empty())
    s.name = "step " + std::to_string(index) + ": " + label;
  return true;
}

} // namespace compactsim::scenarios::detail
