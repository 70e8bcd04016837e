#include "scenarios/scenario.hpp"
#include "scenarios/scenario_reader.hpp"
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
using namespace detail;

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
  auto choices = sim::derive(chosen, sim::seed_stream::scenario_choices);
  std::vector<std::pair<std::string, std::string>> resolved;
  resolve_ranges(root, "", choices, resolved);
  root.as_object()["seed"] = static_cast<std::int64_t>(chosen);
  return root;
}

namespace {

/// The text as JSON (comments and trailing commas allowed); on error, the
/// parser's message with the line and column where it stopped.
std::optional<json::value> parse_text(const std::string& text, std::string& error) {
  json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  json::stream_parser parser({}, po);
  boost::system::error_code ec;
  auto used = parser.write_some(text.data(), text.size(), ec);
  if (!ec)
    parser.finish(ec);
  if (!ec)
    return parser.release();
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < std::min(used, text.size()); ++i)
    if (text[i] == '\n')
      line++, col = 1;
    else
      ++col;
  error = "line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + ec.message();
  return std::nullopt;
}

/// A range must be valid for every seed: the document is read again with
/// every range at its lower, then its upper bound, so a bad range fails
/// every run (and validate), not only the seeds that hit it.
bool ranges_valid_at_both_bounds(const json::value& root, std::uint64_t seed, std::string& error) {
  for (bool upper : {false, true}) {
    auto at_bound = root;
    if (!ranges_at_bound(at_bound, upper))
      return true;
    std::string why;
    if (!parse_scenario(json::serialize(at_bound), seed, why)) {
      error = std::string{"with every range at its "} + (upper ? "upper" : "lower") + " bound: " + why;
      return false;
    }
  }
  return true;
}

/// "name", "description", "duration" and "check_every".
bool read_name_and_timing(const json::object& o, scenario& sc, errors& e) {
  if (!o.contains("name") || !o.at("name").is_string())
    return e.fail("name", "required: a string");
  sc.name = std::string{o.at("name").get_string()};
  if (auto* d = o.if_contains("description"); d && d->is_string())
    sc.description = std::string{d->get_string()};
  if (!o.contains("duration"))
    return e.fail("duration", "required: how long the run lasts in virtual time");
  if (!read_duration(o, "duration", "", sc.duration, e) || !read_duration(o, "check_every", "", sc.check_every, e))
    return false;
  if (sc.duration <= 0 || sc.duration > max_duration)
    return e.fail("duration", "must be positive and at most 8760h (a year)");
  if (sc.check_every < 1'000)
    return e.fail("check_every", "must be at least 1s");
  if (sc.duration / sc.check_every > max_polls)
    return e.fail("check_every", "checks at most " + std::to_string(max_polls) + " times in a run: make it longer");
  return true;
}

/// "cluster": the cluster-config format, plus the Druid compaction configs
/// and slot settings to start with.
bool read_cluster(const json::object& o, scenario& sc, errors& e) {
  json::object cluster = o.contains("cluster") && o.at("cluster").is_object() ? o.at("cluster").as_object() : json::object{};
  if (auto* d = cluster.if_contains("druid"); d && d->is_object()) {
    auto& druid = d->as_object();
    if (auto* c = druid.if_contains("compaction")) {
      if (!c->is_array())
        return e.fail("cluster.druid.compaction", "expected an array of datasource compaction configs");
      for (const auto& x : c->as_array()) {
        if (!x.is_object())
          return e.fail("cluster.druid.compaction", "expected objects");
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
  if (!cfg)
    return e.fail("cluster", cluster_error);
  sc.cluster = *cfg;
  return true;
}

/// "steps", each within the run and each fault's targets on this cluster's
/// nodes; then in timeline order (steps at the same time keep the file's).
bool read_steps(const json::object& o, scenario& sc, errors& e) {
  if (auto* steps = o.if_contains("steps")) {
    if (!steps->is_array())
      return e.fail("steps", "expected an array");
    const sim::node_counts nodes{static_cast<std::size_t>(sc.cluster.doris.backends), sc.cluster.druid.workers.size(),
                                 sc.cluster.druid.enabled};
    for (std::size_t i = 0; i < steps->as_array().size(); ++i) {
      step s;
      auto path = "steps[" + std::to_string(i) + "]";
      if (!read_step(steps->as_array()[i], path, i, s, e))
        return false;
      if (!s.at_end && s.at > sc.duration)
        return e.fail(path + ".at", "after the end of the run (" + format_duration(sc.duration) + ")");
      if (s.kind == step_kind::fault)
        if (auto bad = sim::unmatched_target(s.fault, nodes); !bad.empty())
          return e.fail(path + ".fault.target", bad);
      sc.steps.push_back(std::move(s));
    }
  }
  std::stable_sort(sc.steps.begin(), sc.steps.end(), [](const step& a, const step& b) {
    if (a.at_end != b.at_end)
      return !a.at_end;
    return a.at < b.at;
  });
  return true;
}

/// In timeline order: a heal names a fault an earlier step injected, and a
/// ${capture} in a path was captured by an earlier step (issue 14).
bool check_references(const scenario& sc, errors& e) {
  std::set<std::string> fault_ids, captured;
  for (const auto& st : sc.steps) {
    auto where = "steps[" + std::to_string(st.index) + "]";
    if (st.kind == step_kind::fault && !st.fault.id.empty())
      fault_ids.insert(st.fault.id);
    if (st.kind == step_kind::heal && st.heal != "all" && !fault_ids.contains(st.heal))
      return e.fail(where + ".heal", "no earlier fault has the id \"" + st.heal + "\"");
    for (auto at = st.http.path.find("${"); at != std::string::npos; at = st.http.path.find("${", at + 2)) {
      auto end = st.http.path.find('}', at);
      auto name = st.http.path.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
      if (!captured.contains(name))
        return e.fail(where + ".http.path", "${" + name + "} is captured by no earlier step");
    }
    for (const auto& [name, pointer] : st.capture)
      captured.insert(name);
  }
  return true;
}

/// "invariants": names from invariant_names(); absent: all of them.
bool read_invariants(const json::object& o, scenario& sc, errors& e) {
  sc.invariants = invariant_names();
  auto* inv = o.if_contains("invariants");
  if (!inv)
    return true;
  if (!inv->is_array())
    return e.fail("invariants", "expected an array of names");
  sc.invariants.clear();
  for (const auto& x : inv->as_array()) {
    auto name = x.is_string() ? std::string{x.get_string()} : std::string{};
    if (std::find(invariant_names().begin(), invariant_names().end(), name) == invariant_names().end())
      return e.fail("invariants", "unknown invariant \"" + name + "\"");
    sc.invariants.push_back(name);
  }
  return true;
}

/// "liveness": {"heal_at", "within", "expect"}.
bool read_liveness(const json::object& o, scenario& sc, errors& e) {
  auto* l = o.if_contains("liveness");
  if (!l)
    return true;
  if (!l->is_object())
    return e.fail("liveness", "expected {\"heal_at\", \"within\", \"expect\"}");
  liveness live;
  const auto& lo = l->as_object();
  if (!read_duration(lo, "heal_at", "liveness", live.heal_at, e) || !read_duration(lo, "within", "liveness", live.within, e))
    return false;
  if (auto* x = lo.if_contains("expect"); x && x->is_array()) {
    for (std::size_t i = 0; i < x->as_array().size(); ++i) {
      metric_check m;
      if (!read_metric(x->as_array()[i], "liveness.expect[" + std::to_string(i) + "]", m, e))
        return false;
      live.expect.push_back(m);
    }
  }
  if (live.heal_at > sc.duration)
    return e.fail("liveness.heal_at", "after the end of the run");
  sc.live = live;
  return true;
}

} // namespace

std::optional<scenario> parse_scenario(const std::string& text, std::optional<std::uint64_t> seed, std::string& error) {
  error.clear();
  errors e{error};
  auto root = parse_text(text, error);
  if (!root)
    return std::nullopt;
  if (!root->is_object()) {
    error = "a scenario is a JSON object";
    return std::nullopt;
  }
  if (!known_keys(root->as_object(), "",
                  {"name", "description", "seed", "duration", "check_every", "cluster", "steps", "invariants",
                   "liveness"},
                  e))
    return std::nullopt;
  scenario sc;
  if (auto* s = root->as_object().if_contains("seed")) {
    if (!s->is_int64() || s->get_int64() < 0) {
      e.fail("seed", "expected a non-negative integer");
      return std::nullopt;
    }
    sc.seed = static_cast<std::uint64_t>(s->get_int64());
  }
  if (seed)
    sc.seed = *seed;
  if (!ranges_valid_at_both_bounds(*root, sc.seed, error))
    return std::nullopt;
  auto choices = sim::derive(sc.seed, sim::seed_stream::scenario_choices);
  resolve_ranges(*root, "", choices, sc.resolved);
  const auto& o = root->as_object();
  if (!read_name_and_timing(o, sc, e) || !read_cluster(o, sc, e) || !read_steps(o, sc, e) || !check_references(sc, e) ||
      !read_invariants(o, sc, e) || !read_liveness(o, sc, e))
    return std::nullopt;
  return sc;
}

} // namespace compactsim::scenarios
