#include "scenarios/scenario.hpp"
#include "config/cluster_reader.hpp"
#include "config/fault_reader.hpp"
#include "config/json_keys.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

#include "sim/core/iso8601.hpp"
#include "sim/core/fault_spec.hpp"
#include "sim/core/first_error.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

namespace {

using errors = sim::first_error;

/// Replaces every {"range": [lo, hi]} by a value the seed picks, in
/// document order, and records each choice.
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

/// Replaces every {"range": [lo, hi]} by its lower (or upper) bound;
/// returns whether there was any.
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

/// Strict keys: the first unknown member of `o` fails at its path.
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
constexpr time_ms max_polls = 1'000'000;
constexpr time_ms max_duration = 8'760LL * 3'600'000; // a year

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
    label = sim::to_string(s.fault.kind);
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

} // namespace

std::optional<time_ms> parse_duration(const json::value& v) { return config::parse_duration(v); }

std::string format_duration(time_ms d) {
  auto h = d / 3'600'000, m = d / 60'000 % 60, s = d / 1000 % 60, ms = d % 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lldh%02lldm%02lld.%03llds", static_cast<long long>(h), static_cast<long long>(m),
                static_cast<long long>(s), static_cast<long long>(ms));
  return buf;
}

const std::vector<std::string>& invariant_names() {
  static const std::vector<std::string> names{"versions_contiguous", "replicas_agree", "no_data_lost",
                                              "druid_rows_conserved", "druid_no_overlap", "mow_repaired"};
  return names;
}

std::optional<json::value> fixed_document(const std::string& text, std::optional<std::uint64_t> seed,
                                          std::string& error) {
  // parse_scenario reports what is wrong with the text; this only rewrites it.
  if (!parse_scenario(text, seed, error))
    return std::nullopt;
  json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  auto root = json::parse(text, {}, po);
  std::uint64_t chosen = 1;
  if (auto* s = root.as_object().if_contains("seed"))
    chosen = static_cast<std::uint64_t>(s->get_int64());
  if (seed)
    chosen = *seed;
  sim::rng choices{chosen ^ 0x5ca1ab1e5eedULL};
  std::vector<std::pair<std::string, std::string>> resolved;
  resolve_ranges(root, "", choices, resolved);
  root.as_object()["seed"] = static_cast<std::int64_t>(chosen);
  return root;
}

std::optional<scenario> parse_scenario(const std::string& text, std::optional<std::uint64_t> seed, std::string& error) {
  error.clear();
  errors e{error};
  json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  json::stream_parser parser({}, po);
  boost::system::error_code ec;
  auto used = parser.write_some(text.data(), text.size(), ec);
  if (!ec)
    parser.finish(ec);
  if (ec) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < std::min(used, text.size()); ++i)
      if (text[i] == '\n')
        line++, col = 1;
      else
        ++col;
    error = "line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + ec.message();
    return std::nullopt;
  }
  auto root = parser.release();
  if (!root.is_object()) {
    error = "a scenario is a JSON object";
    return std::nullopt;
  }
  if (!known_keys(root.as_object(), "",
                  {"name", "description", "seed", "duration", "check_every", "cluster", "steps", "invariants",
                   "liveness"},
                  e))
    return std::nullopt;
  scenario sc;
  if (auto* s = root.as_object().if_contains("seed")) {
    if (!s->is_int64() || s->get_int64() < 0) {
      e.fail("seed", "expected a non-negative integer");
      return std::nullopt;
    }
    sc.seed = static_cast<std::uint64_t>(s->get_int64());
  }
  if (seed)
    sc.seed = *seed;
  // A range must be valid for every seed: check it at both its bounds, so a
  // bad range fails every run (and validate), not only the seeds that hit it.
  for (bool upper : {false, true}) {
    auto at_bound = root;
    if (!ranges_at_bound(at_bound, upper))
      break;
    std::string why;
    if (!parse_scenario(json::serialize(at_bound), sc.seed, why)) {
      error = std::string{"with every range at its "} + (upper ? "upper" : "lower") + " bound: " + why;
      return std::nullopt;
    }
  }
  sim::rng choices{sc.seed ^ 0x5ca1ab1e5eedULL};
  resolve_ranges(root, "", choices, sc.resolved);
  const auto& o = root.as_object();
  if (!o.contains("name") || !o.at("name").is_string()) {
    e.fail("name", "required: a string");
    return std::nullopt;
  }
  sc.name = std::string{o.at("name").get_string()};
  if (auto* d = o.if_contains("description"); d && d->is_string())
    sc.description = std::string{d->get_string()};
  if (!o.contains("duration")) {
    e.fail("duration", "required: how long the run lasts in virtual time");
    return std::nullopt;
  }
  if (!read_duration(o, "duration", "", sc.duration, e) || !read_duration(o, "check_every", "", sc.check_every, e))
    return std::nullopt;
  if (error.empty() && (sc.duration <= 0 || sc.duration > max_duration))
    e.fail("duration", "must be positive and at most 8760h (a year)");
  if (error.empty() && sc.check_every < 1'000)
    e.fail("check_every", "must be at least 1s");
  if (error.empty() && sc.duration / sc.check_every > max_polls)
    e.fail("check_every", "checks at most " + std::to_string(max_polls) + " times in a run: make it longer");
  if (!error.empty())
    return std::nullopt;
  // The cluster: the cluster-config format, plus the Druid compaction configs to start with.
  json::object cluster = o.contains("cluster") && o.at("cluster").is_object() ? o.at("cluster").as_object() : json::object{};
  if (auto* d = cluster.if_contains("druid"); d && d->is_object()) {
    auto& druid = d->as_object();
    if (auto* c = druid.if_contains("compaction")) {
      if (!c->is_array()) {
        e.fail("cluster.druid.compaction", "expected an array of datasource compaction configs");
        return std::nullopt;
      }
      for (const auto& x : c->as_array()) {
        if (!x.is_object()) {
          e.fail("cluster.druid.compaction", "expected objects");
          return std::nullopt;
        }
        sc.druid_compaction.push_back(x.as_object());
      }
      druid.erase("compaction");
    }
    if (auto* s = druid.if_contains("slots"); s && s->is_object()) {
      if (auto* r = s->as_object().if_contains("ratio"); r && r->is_number())
        sc.druid_slot_ratio = r->to_number<double>();
      if (auto* m = s->as_object().if_contains("max"); m && m->is_int64())
        sc.druid_max_slots = m->get_int64();
      druid.erase("slots");
    }
  }
  cluster["seed"] = sc.seed;
  std::string cluster_error;
  auto cfg = config::parse_cluster_config(cluster, cluster_error);
  if (!cfg) {
    e.fail("cluster", cluster_error);
    return std::nullopt;
  }
  sc.cluster = *cfg;
  if (auto* steps = o.if_contains("steps")) {
    if (!steps->is_array()) {
      e.fail("steps", "expected an array");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < steps->as_array().size(); ++i) {
      step s;
      if (!read_step(steps->as_array()[i], "steps[" + std::to_string(i) + "]", i, s, e))
        return std::nullopt;
      if (!s.at_end && s.at > sc.duration) {
        e.fail("steps[" + std::to_string(i) + "].at", "after the end of the run (" + format_duration(sc.duration) + ")");
        return std::nullopt;
      }
      if (s.kind == step_kind::fault) {
        sim::node_counts n{static_cast<std::size_t>(sc.cluster.doris.backends), sc.cluster.druid.workers.size(),
                           sc.cluster.druid.enabled};
        if (auto bad = sim::unmatched_target(s.fault, n); !bad.empty()) {
          e.fail("steps[" + std::to_string(i) + "].fault.target", bad);
          return std::nullopt;
        }
      }
      sc.steps.push_back(std::move(s));
    }
  }
  // Timeline order; steps at the same time keep the file's order.
  std::stable_sort(sc.steps.begin(), sc.steps.end(), [](const step& a, const step& b) {
    if (a.at_end != b.at_end)
      return !a.at_end;
    return a.at < b.at;
  });
  // In timeline order: a heal names a fault an earlier step injected, and a
  // ${capture} in a path was captured by an earlier step (issue 14).
  {
    std::set<std::string> fault_ids, captured;
    for (std::size_t i = 0; i < sc.steps.size(); ++i) {
      const auto& st = sc.steps[i];
      auto where = "steps[" + std::to_string(st.index) + "]";
      if (st.kind == step_kind::fault && !st.fault.id.empty())
        fault_ids.insert(st.fault.id);
      if (st.kind == step_kind::heal && st.heal != "all" && !fault_ids.contains(st.heal)) {
        e.fail(where + ".heal", "no earlier fault has the id \"" + st.heal + "\"");
        return std::nullopt;
      }
      for (auto at = st.http.path.find("${"); at != std::string::npos; at = st.http.path.find("${", at + 2)) {
        auto end = st.http.path.find('}', at);
        auto name = st.http.path.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
        if (!captured.contains(name)) {
          e.fail(where + ".http.path", "${" + name + "} is captured by no earlier step");
          return std::nullopt;
        }
      }
      for (const auto& [name, pointer] : st.capture)
        captured.insert(name);
    }
  }
  sc.invariants = invariant_names();
  if (auto* inv = o.if_contains("invariants")) {
    if (!inv->is_array()) {
      e.fail("invariants", "expected an array of names");
      return std::nullopt;
    }
    sc.invariants.clear();
    for (const auto& x : inv->as_array()) {
      auto name = x.is_string() ? std::string{x.get_string()} : std::string{};
      if (std::find(invariant_names().begin(), invariant_names().end(), name) == invariant_names().end()) {
        e.fail("invariants", "unknown invariant \"" + name + "\"");
        return std::nullopt;
      }
      sc.invariants.push_back(name);
    }
  }
  if (auto* l = o.if_contains("liveness")) {
    if (!l->is_object()) {
      e.fail("liveness", "expected {\"heal_at\", \"within\", \"expect\"}");
      return std::nullopt;
    }
    liveness live;
    const auto& lo = l->as_object();
    if (!read_duration(lo, "heal_at", "liveness", live.heal_at, e) || !read_duration(lo, "within", "liveness", live.within, e))
      return std::nullopt;
    if (auto* x = lo.if_contains("expect"); x && x->is_array()) {
      for (std::size_t i = 0; i < x->as_array().size(); ++i) {
        metric_check m;
        if (!read_metric(x->as_array()[i], "liveness.expect[" + std::to_string(i) + "]", m, e))
          return std::nullopt;
        live.expect.push_back(m);
      }
    }
    if (live.heal_at > sc.duration) {
      e.fail("liveness.heal_at", "after the end of the run");
      return std::nullopt;
    }
    sc.live = live;
  }
  return sc;
}

} // namespace compactsim::scenarios
