#include "sim/fault_spec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <boost/json.hpp>

#include "sim/druid_time.hpp"

namespace compactsim::sim {

namespace json = boost::json;

namespace {

struct errors {
  std::string& out;
  bool fail(const std::string& path, const std::string& msg) {
    if (out.empty())
      out = path + ": " + msg;
    return false;
  }
};

} // namespace

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds{"crash", "partition", "slow_disk", "compaction_failure", "disk_full",
                                              "task_failure", "corrupt_delete_bitmap"};
  return kinds;
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
  const auto& kinds = fault_kinds();
  if (!o.contains("kind") || !o.at("kind").is_string())
    return e.fail(path + ".kind", "required: one of crash, partition, slow_disk, compaction_failure, disk_full, "
                                  "task_failure, corrupt_delete_bitmap");
  f.kind = std::string{o.at("kind").get_string()};
  if (std::find(kinds.begin(), kinds.end(), f.kind) == kinds.end())
    return e.fail(path + ".kind", "unknown fault \"" + f.kind + "\"");
  if (auto* id = o.if_contains("id"); id && id->is_string())
    f.id = std::string{id->get_string()};
  if (auto* t = o.if_contains("target")) {
    auto add = [&](const json::value& x) {
      if (!x.is_string())
        return e.fail(path + ".target", "expected a string or a list of strings");
      std::string s{x.get_string()};
      auto kind = s.substr(0, s.find(':'));
      auto which = s.find(':') == std::string::npos ? std::string{} : s.substr(s.find(':') + 1);
      bool digits = !which.empty() && which.size() <= 6 && std::all_of(which.begin(), which.end(), ::isdigit);
      bool ok = s == "overlord" || ((kind == "be" || kind == "worker") &&
                                    (digits || which == "random" || which == "all" || which == "minority" ||
                                     which == "majority"));
      if (!ok)
        return e.fail(path + ".target", "\"" + s + "\": expected be:N, worker:N, be:random, be:minority, "
                                        "be:majority, be:all (or worker:...) or overlord");
      f.targets.push_back(s);
      return true;
    };
    if (t->is_array()) {
      for (const auto& x : t->as_array())
        if (!add(x))
          return false;
    } else if (!add(*t)) {
      return false;
    }
  }
  if (f.targets.empty())
    f.targets = {f.kind == "task_failure" ? "overlord" : "be:all"};
  time_ms d = -1;
  if (auto* x = o.if_contains("for")) {
    auto dur = parse_duration(*x);
    if (!dur || *dur < 0)
      return e.fail(path + ".for", "expected a duration such as \"90s\", \"5m\", \"2h\" or \"PT5M\"");
    d = *dur;
  }
  if (d >= 0)
    f.duration = d;
  for (auto [key, slot] : {std::pair{"factor", &f.factor}, std::pair{"probability", &f.probability}})
    if (auto* x = o.if_contains(key)) {
      if (!x->is_number())
        return e.fail(path + "." + key, "expected a number");
      *slot = x->to_number<double>();
    }
  for (auto [key, slot] : {std::pair{"table", &f.table}, std::pair{"rows", &f.rows}})
    if (auto* x = o.if_contains(key)) {
      if (!x->is_int64())
        return e.fail(path + "." + key, "expected an integer");
      *slot = x->get_int64();
    }
  if (f.probability < 0 || f.probability > 1)
    return e.fail(path + ".probability", "must be within [0, 1]");
  if (f.factor < 1)
    return e.fail(path + ".factor", "must be at least 1");
  if (f.kind == "corrupt_delete_bitmap" && f.table <= 0)
    return e.fail(path + ".table", "required: the merge-on-write table's id");
  return true;
}


} // namespace compactsim::sim
