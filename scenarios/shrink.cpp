#include "scenarios/shrink.hpp"

#include <algorithm>
#include <regex>

#include <boost/json.hpp>

#include "config/fault_reader.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

namespace {

/// A check as shrinking compares it: its kind and name, without the step
/// number (dropping an earlier step renumbers the later ones).
std::string check_key(const check_result& c) {
  static const std::regex step_prefix{"^step [0-9]+: "};
  return c.kind + ": " + std::regex_replace(c.name, step_prefix, "");
}

/// A duration as the scenario files write it: "45m", "90s", "2h"; odd ones in ms.
json::value duration_value(time_ms ms) {
  for (auto [unit, size] : {std::pair{"d", 86'400'000LL}, std::pair{"h", 3'600'000LL}, std::pair{"m", 60'000LL},
                            std::pair{"s", 1'000LL}})
    if (ms > 0 && ms % size == 0)
      return json::string(std::to_string(ms / size) + unit);
  return ms;
}

std::string describe_step(const json::value& s, std::size_t i) {
  std::string what = "step " + std::to_string(i + 1);
  if (!s.is_object())
    return what;
  const auto& o = s.as_object();
  for (auto kind : {"fault", "heal", "assert", "check", "wait", "http"})
    if (o.contains(kind)) {
      what += std::string{" ("} + kind;
      if (std::string_view{kind} == "fault" && o.at("fault").is_object())
        if (auto* k = o.at("fault").as_object().if_contains("kind"); k && k->is_string())
          what += " " + std::string{k->get_string()};
      what += ")";
      break;
    }
  return what;
}

class shrinker {
public:
  shrinker(std::optional<std::uint64_t> seed, const std::function<void(const std::string&)>& say)
    : seed_(seed), say_(say) {}

  /// The first failing check of `doc`'s run, "" when it passes or does not parse.
  std::string first_failure(const json::value& doc, time_ms* at = nullptr) {
    std::string error;
    auto sc = parse_scenario(json::serialize(doc), std::nullopt, error);
    if (!sc)
      return {};
    ++runs;
    auto r = run_scenario(*sc, {});
    for (const auto& c : r.checks)
      if (!c.passed) {
        if (at)
          *at = c.at;
        return check_key(c);
      }
    return {};
  }

  /// When the target check failed in `d`'s run.
  std::optional<time_ms> target_time(const json::value& d) {
    std::string error;
    auto sc = parse_scenario(json::serialize(d), std::nullopt, error);
    if (!sc)
      return std::nullopt;
    ++runs;
    auto r = run_scenario(*sc, {});
    for (const auto& c : r.checks)
      if (!c.passed && check_key(c) == target)
        return c.at;
    return std::nullopt;
  }

  bool still_fails(const json::value& doc) {
    std::string error;
    auto sc = parse_scenario(json::serialize(doc), std::nullopt, error);
    if (!sc)
      return false;
    ++runs;
    auto r = run_scenario(*sc, {});
    return std::any_of(r.checks.begin(), r.checks.end(),
                       [&](const check_result& c) { return !c.passed && check_key(c) == target; });
  }

  /// Keeps `candidate` when it still fails the target check.
  bool attempt(const std::string& what, json::value candidate) {
    bool same = still_fails(candidate);
    say_(std::string{same ? "  smaller: " : "  needed:  "} + what);
    if (same) {
      doc = std::move(candidate);
      ++kept;
    }
    return same;
  }

  void drop_steps() {
    auto* steps = doc.as_object().if_contains("steps");
    if (!steps || !steps->is_array() || steps->as_array().empty())
      return;
    // Halves first: most steps of a failing swarm seed are noise.
    auto n = steps->as_array().size();
    if (n >= 4) {
      for (auto [from, to] : {std::pair{n / 2, n}, std::pair{std::size_t{0}, n / 2}}) {
        auto candidate = doc;
        auto& a = candidate.as_object()["steps"].as_array();
        a.erase(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to));
        if (attempt("drop steps " + std::to_string(from + 1) + "-" + std::to_string(to), std::move(candidate)))
          break;
      }
    }
    for (std::size_t i = doc.as_object()["steps"].as_array().size(); i-- > 0;) {
      auto candidate = doc;
      auto& a = candidate.as_object()["steps"].as_array();
      auto what = "drop " + describe_step(a[i], i);
      a.erase(a.begin() + static_cast<std::ptrdiff_t>(i));
      attempt(what, std::move(candidate));
    }
  }

  void drop_checks(const std::string& kind_name) {
    auto& o = doc.as_object();
    if (o.contains("liveness") && !kind_name.starts_with("liveness: ")) {
      auto candidate = doc;
      candidate.as_object().erase("liveness");
      attempt("drop the liveness phase", std::move(candidate));
    }
    json::array keep;
    if (kind_name.starts_with("invariant: "))
      keep.emplace_back(kind_name.substr(std::string_view{"invariant: "}.size()));
    auto* inv = o.if_contains("invariants");
    if (!inv || *inv != json::value(keep)) {
      auto candidate = doc;
      candidate.as_object()["invariants"] = keep;
      attempt(keep.empty() ? "check no invariant" : "check only that invariant", std::move(candidate));
    }
  }

  void cut_duration(time_ms failed_at) {
    std::string error;
    auto sc = parse_scenario(json::serialize(doc), std::nullopt, error);
    if (!sc)
      return;
    time_ms last_step = 0;
    for (const auto& s : sc->steps)
      if (!s.at_end)
        last_step = std::max(last_step, s.at);
    time_ms end = std::max(failed_at, last_step) + sc->check_every;
    if (end >= sc->duration)
      return;
    auto candidate = doc;
    candidate.as_object()["duration"] = duration_value(end);
    attempt("end the run at " + format_duration(end) + " (it failed at " + format_duration(failed_at) + ")",
            std::move(candidate));
  }

  void halve_faults() {
    auto* steps = doc.as_object().if_contains("steps");
    if (!steps || !steps->is_array())
      return;
    for (std::size_t i = 0; i < doc.as_object()["steps"].as_array().size(); ++i) {
      for (int round = 0; round < 4; ++round) {
        const auto& s = doc.as_object()["steps"].as_array()[i];
        const auto* fault = s.is_object() ? s.as_object().if_contains("fault") : nullptr;
        const auto* lasting = fault && fault->is_object() ? fault->as_object().if_contains("for") : nullptr;
        auto ms = lasting ? config::parse_duration(*lasting) : std::nullopt;
        if (!ms || *ms < 2'000)
          break;
        auto candidate = doc;
        candidate.as_object()["steps"].as_array()[i].as_object()["fault"].as_object()["for"] = duration_value(*ms / 2);
        if (!attempt(describe_step(s, i) + ": last " + format_duration(*ms / 2) + " instead of " + format_duration(*ms),
                     std::move(candidate)))
          break;
      }
    }
  }

  json::object& doris_part(json::value& d) {
    auto& cluster = d.as_object()["cluster"];
    if (!cluster.is_object())
      cluster = json::object{};
    auto& doris = cluster.as_object()["doris"];
    if (!doris.is_object())
      doris = json::object{};
    return doris.as_object();
  }

  void fewer_nodes() {
    std::string error;
    auto sc = parse_scenario(json::serialize(doc), std::nullopt, error);
    if (!sc)
      return;
    for (auto n = sc->cluster.doris.backends; n > 1; --n) {
      auto candidate = doc;
      doris_part(candidate)["backends"] = n - 1;
      if (!attempt(std::to_string(n - 1) + " BEs instead of " + std::to_string(n), std::move(candidate)))
        break;
    }
    auto* cluster = doc.as_object().if_contains("cluster");
    const json::value* tables = nullptr;
    if (cluster && cluster->is_object())
      if (auto* d = cluster->as_object().if_contains("doris"); d && d->is_object())
        tables = d->as_object().if_contains("tables");
    if (tables && tables->is_array()) {
      for (std::size_t i = tables->as_array().size(); i-- > 0;) {
        auto candidate = doc;
        auto& doris = doris_part(candidate);
        auto& list = doris["tables"].as_array();
        if (list.size() <= 1)
          break;
        auto id = list[i].is_object() ? list[i].as_object().if_contains("id") : nullptr;
        if (!id)
          continue;
        auto table = *id;
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        if (auto* w = doris.if_contains("workloads"); w && w->is_array()) {
          auto& a = w->as_array();
          a.erase(std::remove_if(a.begin(), a.end(),
                                 [&](const json::value& x) {
                                   return x.is_object() && x.as_object().if_contains("table") &&
                                          x.as_object().at("table") == table;
                                 }),
                  a.end());
        }
        attempt("drop table " + json::serialize(table) + " and its workloads", std::move(candidate));
      }
    }
    if (sc->cluster.druid.enabled) {
      auto candidate = doc;
      candidate.as_object()["cluster"].as_object()["druid"] = json::object{{"enabled", false}};
      attempt("turn the Druid side off", std::move(candidate));
    }
  }

  std::optional<std::uint64_t> seed_;
  const std::function<void(const std::string&)>& say_;
  json::value doc;
  std::string target;
  int runs = 0, kept = 0;
};

void pretty(std::string& out, const json::value& v, int depth) {
  auto pad = [&](int d) { out.append(static_cast<std::size_t>(2 * d), ' '); };
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [k, x] : v.as_object()) {
      pad(depth + 1);
      out += json::serialize(json::value(k)) + ": ";
      pretty(out, x, depth + 1);
      out += ++i < v.as_object().size() ? ",\n" : "\n";
    }
    pad(depth);
    out += "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    // Arrays of scalars stay on one line; steps and tables one per line.
    bool flat = std::all_of(v.as_array().begin(), v.as_array().end(),
                            [](const json::value& x) { return !x.is_object() && !x.is_array(); });
    if (flat) {
      out += json::serialize(v);
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
      pad(depth + 1);
      out += json::serialize(v.as_array()[i]);
      out += i + 1 < v.as_array().size() ? ",\n" : "\n";
    }
    pad(depth);
    out += "]";
  } else {
    out += json::serialize(v);
  }
}

} // namespace

std::string pretty_json(const json::value& v) {
  std::string out;
  pretty(out, v, 0);
  return out + "\n";
}

std::optional<shrink_result> shrink_scenario(const std::string& text, std::optional<std::uint64_t> seed,
                                             const std::function<void(const std::string&)>& say, std::string& error) {
  auto fixed = fixed_document(text, seed, error);
  if (!fixed)
    return std::nullopt;
  shrinker s{seed, say};
  s.doc = std::move(*fixed);
  shrink_result out;
  time_ms failed_at = 0;
  s.target = s.first_failure(s.doc, &failed_at);
  out.failed = !s.target.empty();
  if (!out.failed) {
    out.minimal = s.doc;
    out.runs = s.runs;
    return out;
  }
  say("fails " + s.target + " at " + format_duration(failed_at) + "; shrinking");
  // Until a whole pass changes nothing (a dropped step can make a table or a
  // BE unnecessary, and the other way round); three passes at most.
  for (int pass = 0; pass < 3; ++pass) {
    int before = s.kept;
    s.drop_steps();
    s.drop_checks(s.target);
    if (auto at = s.target_time(s.doc))
      s.cut_duration(*at);
    s.halve_faults();
    s.fewer_nodes();
    if (s.kept == before)
      break;
  }
  auto& o = s.doc.as_object();
  std::string name = o.contains("name") && o.at("name").is_string() ? std::string{o.at("name").get_string()} : "scenario";
  o["name"] = name + "-min";
  o["description"] = "Shrunk by compactsim shrink (seed " + std::to_string(o.at("seed").to_number<std::uint64_t>()) +
                     "): still fails " + s.target + ".";
  out.check = s.target;
  out.minimal = std::move(s.doc);
  out.runs = s.runs;
  out.kept = s.kept;
  return out;
}

} // namespace compactsim::scenarios
