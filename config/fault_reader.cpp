#include "config/fault_reader.hpp"
#include "config/json_keys.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>

#include "sim/core/first_error.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::config {

using namespace sim;
namespace json = boost::json;
using errors = first_error;

namespace {

/// Which node families a fault kind may target.
struct target_rule {
  bool be = false, worker = false, fe = false, coordinator = false, overlord = false;
  const char* expected;
};

target_rule targets_of(fault_kind kind) {
  switch (kind) {
    case fault_kind::crash:
    case fault_kind::pause:
      return {true, true, false, false, false, "be:N or worker:N (or be:/worker: random, minority, majority, all)"};
    case fault_kind::partition:
    case fault_kind::delay:
    case fault_kind::drop:
    case fault_kind::duplicate:
      return {true, true, true, true, true, "be:N, worker:N (or random, minority, majority, all), fe, coordinator or overlord"};
    case fault_kind::clock_skew:
      return {true, false, false, true, true, "be:N (or be:random, ...), coordinator or overlord"};
    case fault_kind::task_failure:
      return {false, false, false, false, true, "overlord"};
    case fault_kind::slow_disk:
    case fault_kind::compaction_failure:
    case fault_kind::disk_full:
    case fault_kind::corrupt_delete_bitmap:
      break;
  }
  return {true, false, false, false, false, "be:N, be:random, be:minority, be:majority or be:all"};
}

/// Reads "target" or one partition group: a string or a list of strings.
bool read_targets(const json::value& v, const std::string& path, const target_rule& rule,
                  std::vector<std::string>& out, errors& e) {
  auto add = [&](const json::value& x) {
    if (!x.is_string())
      return e.fail(path, "expected a string or a list of strings");
    std::string s{x.get_string()};
    auto colon = s.find(':');
    auto family = s.substr(0, colon);
    auto which = colon == std::string::npos ? std::string{} : s.substr(colon + 1);
    bool digits = !which.empty() && which.size() <= 6 && std::all_of(which.begin(), which.end(), ::isdigit);
    bool indexed = colon != std::string::npos &&
                   (digits || which == "random" || which == "all" || which == "minority" || which == "majority");
    bool ok = (s == "fe" && rule.fe) || (s == "coordinator" && rule.coordinator) || (s == "overlord" && rule.overlord) ||
              (family == "be" && rule.be && indexed) || (family == "worker" && rule.worker && indexed);
    if (!ok)
      return e.fail(path, "\"" + s + "\": expected " + rule.expected);
    out.push_back(s);
    return true;
  };
  if (v.is_array()) {
    if (v.as_array().empty())
      return e.fail(path, "expected at least one target");
    for (const auto& x : v.as_array())
      if (!add(x))
        return false;
    return true;
  }
  return add(v);
}

/// What a kind's parameters are: name, type, whether required, default, help.
struct param {
  const char* name;
  const char* type; ///< duration, signed_duration, number, integer, boolean
  bool required;
  json::value fallback;
  const char* help;
};

std::vector<param> kind_params(fault_kind kind) {
  switch (kind) {
    case fault_kind::partition:
      return {{"one_way", "boolean", false, false, "Only messages from the first group to the second are lost"}};
    case fault_kind::delay:
      return {{"delay", "duration", true, "500ms", "How long each message takes"},
              {"jitter", "duration", false, "0ms", "Up to this much more, drawn per message"}};
    case fault_kind::drop:
    case fault_kind::duplicate:
    case fault_kind::compaction_failure:
    case fault_kind::task_failure:
      return {{"probability", "number", false, 1.0, "Share of messages or tasks affected, in [0, 1]"}};
    case fault_kind::clock_skew:
      return {{"skew", "signed_duration", true, "-30s", "The node's clock offset"}};
    case fault_kind::slow_disk:
      return {{"factor", "number", false, 10.0, "Compactions take this many times longer (at least 1)"}};
    case fault_kind::corrupt_delete_bitmap:
      return {{"table", "integer", true, nullptr, "The merge-on-write table's id"},
              {"rows", "integer", false, 1000, "Rows per replica whose delete marks are lost"}};
    case fault_kind::crash:
    case fault_kind::pause:
    case fault_kind::disk_full:
      break;
  }
  return {};
}

/// The keys a kind takes beyond id, kind, target and for.
std::vector<std::string_view> params_of(fault_kind kind) {
  std::vector<std::string_view> out;
  if (kind == fault_kind::partition)
    out.push_back("groups");
  for (const auto& p : kind_params(kind))
    out.push_back(p.name);
  return out;
}

} // namespace

std::optional<time_ms> parse_signed_duration(const json::value& v) {
  if (v.is_string()) {
    auto s = v.get_string();
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
      auto rest = parse_duration(json::value(s.subview(1)));
      if (!rest)
        return std::nullopt;
      return s.front() == '-' ? -*rest : *rest;
    }
  }
  if (v.is_int64())
    return v.get_int64();
  return parse_duration(v);
}

std::optional<time_ms> parse_duration(const json::value& v) {
  if (v.is_int64())
    return v.get_int64();
  if (!v.is_string())
    return std::nullopt;
  std::string s{v.get_string()};
  if (s.starts_with("PT") || s.starts_with("P")) {
    auto p = sim::druid::parse_period(s);
    if (!p || !p->fixed_millis())
      return std::nullopt;
    return *p->fixed_millis();
  }
  // A sequence of <number><unit>: "1h30m", "250ms", "2d".
  time_ms total = 0;
  std::size_t pos = 0;
  if (s.empty())
    return std::nullopt;
  while (pos < s.size()) {
    std::size_t end = pos;
    while (end < s.size() && (std::isdigit(static_cast<unsigned char>(s[end])) || s[end] == '.'))
      ++end;
    if (end == pos)
      return std::nullopt;
    double n = 0;
    auto [ptr, ec] = std::from_chars(s.data() + pos, s.data() + end, n);
    if (ec != std::errc{} || ptr != s.data() + end || n > 1e12)
      return std::nullopt;
    std::size_t unit_end = end;
    while (unit_end < s.size() && std::isalpha(static_cast<unsigned char>(s[unit_end])))
      ++unit_end;
    auto unit = s.substr(end, unit_end - end);
    double scale = unit == "ms" ? 1 : unit == "s" ? 1e3 : unit == "m" ? 6e4 : unit == "h" ? 3.6e6 : unit == "d" ? 8.64e7 : -1;
    if (scale < 0)
      return std::nullopt;
    total += static_cast<time_ms>(std::llround(n * scale));
    if (total > 1'000'000LL * 86'400'000)
      return std::nullopt; // a million days is enough
    pos = unit_end;
  }
  return total;
}

bool parse_fault(const json::value& v, const std::string& path, fault_spec& f, std::string& error) {
  errors e{error};
  if (!v.is_object())
    return e.fail(path, "expected an object");
  const auto& o = v.as_object();
  if (!o.contains("kind") || !o.at("kind").is_string()) {
    std::string all;
    for (auto k : all_fault_kinds)
      all += (all.empty() ? "" : ", ") + std::string{to_string(k)};
    return e.fail(path + ".kind", "required: one of " + all);
  }
  const auto name = o.at("kind").get_string();
  auto kind = parse_fault_kind(name);
  if (!kind)
    return e.fail(path + ".kind", "unknown fault \"" + std::string{name} + "\"");
  f.params = default_params(*kind);
  const std::initializer_list<std::string_view> keys{
    "id", "kind", "target", "groups", "one_way", "for", "delay", "jitter", "skew", "factor", "probability", "table",
    "rows"};
  if (auto bad = unknown_key(o, keys))
    return e.fail(path + "." + *bad, unknown_key_message(*bad, keys));
  // A parameter of another kind is a mistake (a probability on a crash):
  // say which ones this kind takes.
  auto takes = params_of(*kind);
  for (auto key : {"groups", "one_way", "delay", "jitter", "skew", "factor", "probability", "table", "rows"})
    if (o.contains(key) && std::find(takes.begin(), takes.end(), std::string_view{key}) == takes.end()) {
      std::string list;
      for (auto t : takes)
        list += (list.empty() ? "" : ", ") + std::string{t};
      return e.fail(path + "." + key, "a " + std::string{name} + " fault takes no " + key +
                                        (list.empty() ? " (it takes no parameters)" : " (its parameters: " + list + ")"));
    }
  if (auto* id = o.if_contains("id"); id && id->is_string())
    f.id = std::string{id->get_string()};
  auto rule = targets_of(*kind);
  if (auto* t = o.if_contains("target"); t && !read_targets(*t, path + ".target", rule, f.targets, e))
    return false;
  if (auto* x = o.if_contains("for")) {
    auto dur = parse_duration(*x);
    if (!dur || *dur < 0)
      return e.fail(path + ".for", "expected a duration such as \"90s\", \"5m\", \"2h\" or \"PT5M\"");
    f.duration = *dur;
  }
  auto duration = [&](const char* key, time_ms& slot) {
    if (auto* x = o.if_contains(key)) {
      auto dur = parse_duration(*x);
      if (!dur || *dur < 0)
        return e.fail(path + "." + key, "expected a duration such as \"250ms\" or \"2s\"");
      slot = *dur;
    }
    return true;
  };
  auto number = [&](const char* key, double& slot) {
    if (auto* x = o.if_contains(key)) {
      if (!x->is_number())
        return e.fail(path + "." + key, "expected a number");
      slot = x->to_number<double>();
    }
    return true;
  };
  auto integer = [&](const char* key, std::int64_t& slot) {
    if (auto* x = o.if_contains(key)) {
      if (!x->is_int64())
        return e.fail(path + "." + key, "expected an integer");
      slot = x->get_int64();
    }
    return true;
  };
  auto probability = [&](double& slot) {
    if (!number("probability", slot))
      return false;
    if (slot < 0 || slot > 1)
      return e.fail(path + ".probability", "must be within [0, 1]");
    return true;
  };
  bool ok = std::visit(
    [&](auto& p) -> bool {
      using P = std::decay_t<decltype(p)>;
      if constexpr (std::is_same_v<P, faults::partition>) {
        if (auto* g = o.if_contains("groups")) {
          if (!f.targets.empty())
            return e.fail(path + ".groups", "give either target or groups, not both");
          if (!g->is_array() || g->as_array().size() < 2)
            return e.fail(path + ".groups", "expected a list of at least two groups of targets");
          const auto& groups = g->as_array();
          for (std::size_t i = 0; i < groups.size(); ++i) {
            p.groups.emplace_back();
            if (!read_targets(groups[i], path + ".groups[" + std::to_string(i) + "]", rule, p.groups.back(), e))
              return false;
          }
        }
        if (auto* w = o.if_contains("one_way")) {
          if (!w->is_bool())
            return e.fail(path + ".one_way", "expected true or false");
          p.one_way = w->get_bool();
          if (p.one_way && p.groups.size() != 2)
            return e.fail(path + ".one_way", "a one-way partition needs exactly two groups: from, to");
        }
        return true;
      } else if constexpr (std::is_same_v<P, faults::delay>) {
        if (!duration("delay", p.delay) || !duration("jitter", p.jitter))
          return false;
        if (p.delay == 0 && p.jitter == 0)
          return e.fail(path + ".delay", "required: how long messages take, such as \"500ms\"");
        return true;
      } else if constexpr (std::is_same_v<P, faults::drop> || std::is_same_v<P, faults::duplicate> ||
                           std::is_same_v<P, faults::compaction_failure> || std::is_same_v<P, faults::task_failure>) {
        return probability(p.probability);
      } else if constexpr (std::is_same_v<P, faults::clock_skew>) {
        auto* x = o.if_contains("skew");
        auto dur = x ? parse_signed_duration(*x) : std::nullopt;
        if (!x)
          return e.fail(path + ".skew", "required: the node's clock offset, such as \"-30s\"");
        if (!dur)
          return e.fail(path + ".skew", "expected a signed duration such as \"-30s\" or \"+2m\"");
        p.skew = *dur;
        return true;
      } else if constexpr (std::is_same_v<P, faults::slow_disk>) {
        if (!number("factor", p.factor))
          return false;
        if (!(p.factor >= 1 && p.factor <= 1e6))
          return e.fail(path + ".factor", "must be within [1, 1000000]"); // a compaction's time must stay a number of ms
        return true;
      } else if constexpr (std::is_same_v<P, faults::corrupt_delete_bitmap>) {
        if (!integer("table", p.table) || !integer("rows", p.rows))
          return false;
        if (p.rows < 1)
          return e.fail(path + ".rows", "must be at least 1");
        if (p.table <= 0)
          return e.fail(path + ".table", "required: the merge-on-write table's id");
        return true;
      } else {
        return true; // crash, pause, disk_full: no parameters
      }
    },
    f.params);
  if (!ok)
    return false;
  if (f.targets.empty() && f.groups().empty())
    f.targets = {*kind == fault_kind::task_failure ? "overlord" : "be:all"};
  return true;
}

} // namespace compactsim::config

namespace compactsim::config {

boost::json::array fault_vocabulary() {
  json::array out;
  for (auto kind : sim::all_fault_kinds) {
    auto rule = targets_of(kind);
    json::array families;
    for (auto [name, on] : {std::pair{"be", rule.be}, std::pair{"worker", rule.worker}, std::pair{"fe", rule.fe},
                            std::pair{"coordinator", rule.coordinator}, std::pair{"overlord", rule.overlord}})
      if (on)
        families.emplace_back(name);
    json::array params;
    for (const auto& p : kind_params(kind))
      params.push_back(json::object{{"name", p.name}, {"type", p.type}, {"required", p.required},
                                    {"default", p.fallback}, {"help", p.help}});
    out.push_back(json::object{{"kind", to_string(kind)}, {"targets", std::move(families)}, {"expected", rule.expected},
                               {"params", std::move(params)}});
  }
  return out;
}

} // namespace compactsim::config
