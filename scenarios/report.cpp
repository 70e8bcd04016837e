#include "scenarios/report.hpp"

#include <cstdio>
#include <sstream>

#include <boost/json.hpp>

namespace compactsim::scenarios {

namespace json = boost::json;

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default:
      // XML 1.0 forbids most control characters.
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t')
        out += c;
    }
  }
  return out;
}

namespace {


std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v == static_cast<double>(static_cast<long long>(v)) ? "%.0f" : "%.3f", v);
  return buf;
}

} // namespace

std::string summary_table(const scenario& sc, const run_result& r, bool failures_only) {
  std::ostringstream out;
  char line[256];
  out << "scenario " << sc.name << " (seed " << r.seed << ")\n";
  std::snprintf(line, sizeof line, "  virtual time %s in %.2f s wall (%.0fx), %llu events (%.0f/s), trace %s (%llu events)\n",
                format_duration(r.virtual_ms).c_str(), r.wall_seconds,
                r.wall_seconds > 0 ? static_cast<double>(r.virtual_ms) / 1000.0 / r.wall_seconds : 0.0,
                static_cast<unsigned long long>(r.events),
                r.wall_seconds > 0 ? static_cast<double>(r.events) / r.wall_seconds : 0.0, r.trace_digest.c_str(),
                static_cast<unsigned long long>(r.trace_events));
  out << line;
  out << "  activity:";
  for (const char* kind : {"load.commit", "load.reject", "compaction.start", "compaction.finish", "compaction.fail",
                           "task.submit", "task.success", "task.fail", "duty.run", "faults", "http"}) {
    auto it = r.counts.find(kind);
    out << "  " << kind << " " << (it == r.counts.end() ? 0 : it->second);
  }
  out << "\n  final:";
  for (const auto& [k, v] : r.summary)
    out << "  " << k << " " << number(v);
  out << "\n";
  std::size_t width = 10;
  for (const auto& c : r.checks)
    width = std::max(width, c.name.size());
  width = std::min<std::size_t>(width, 70);
  for (const auto& c : r.checks) {
    if (failures_only && c.passed)
      continue; // --quiet: only what failed
    std::snprintf(line, sizeof line, "  %-4s  %-10s  %-*s", c.passed ? "ok" : "FAIL", c.kind.c_str(),
                  static_cast<int>(width), c.name.substr(0, width).c_str());
    out << line;
    if (!c.passed)
      out << "  at " << format_duration(c.at) << ": " << c.message;
    out << "\n";
  }
  // Steps run in file order: a wait or a liveness phase that runs past a
  // later step's time delays it, and the run says so.
  for (const auto& l : r.late)
    if (!failures_only)
      out << "  late  step " << l.index + 1 << " (" << l.name << ") was due at " << format_duration(l.due) << " and ran at "
          << format_duration(l.ran) << ": an earlier step held the timeline\n";
  out << (r.passed ? "PASSED" : "FAILED") << "\n";
  return out.str();
}

namespace {

/// The command that replays this run: the scenario's file (or name) and seed.
std::string replay_command(const scenario& sc, const run_result& r) {
  return "compactsim run " + (sc.file.empty() ? sc.name : sc.file) + " --seed " + std::to_string(r.seed);
}

std::string violations(std::int64_t n) { return std::to_string(n) + (n == 1 ? " violation" : " violations"); }

} // namespace

std::string junit_xml(const scenario& sc, const run_result& r) {
  std::size_t failures = 0;
  for (const auto& c : r.checks)
    failures += c.passed ? 0 : 1;
  std::ostringstream out;
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", r.wall_seconds);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"compactsim\" tests=\"" << r.checks.size() << "\" failures=\"" << failures
      << "\" time=\"" << time << "\">\n";
  out << "  <testsuite name=\"" << xml_escape(sc.name) << "\" tests=\"" << r.checks.size() << "\" failures=\""
      << failures << "\" errors=\"0\" skipped=\"0\" time=\"" << time << "\">\n";
  out << "    <properties>\n      <property name=\"seed\" value=\"" << r.seed << "\"/>\n"
      << "      <property name=\"trace_digest\" value=\"" << r.trace_digest << "\"/>\n";
  for (const auto& [path, value] : sc.resolved)
    out << "      <property name=\"swarm." << xml_escape(path) << "\" value=\"" << xml_escape(value) << "\"/>\n";
  out << "    </properties>\n";
  for (const auto& c : r.checks) {
    char took[32];
    std::snprintf(took, sizeof took, "%.3f", c.wall_seconds);
    out << "    <testcase classname=\"" << xml_escape(sc.name + "." + c.kind) << "\" name=\"" << xml_escape(c.name)
        << "\" time=\"" << took << "\"";
    if (c.passed) {
      out << "/>\n";
    } else {
      out << ">\n      <failure message=\"" << xml_escape(c.message) << "\" type=\"" << c.kind << "\">at "
          << format_duration(c.at) << " (virtual): " << xml_escape(c.message) << " (" << violations(c.violations)
          << "); replay: " << xml_escape(replay_command(sc, r)) << "</failure>\n    </testcase>\n";
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

std::string report_json(const scenario& sc, const run_result& r) {
  json::object o;
  o["scenario"] = sc.name;
  o["seed"] = r.seed;
  o["passed"] = r.passed;
  o["virtual_ms"] = r.virtual_ms;
  o["wall_seconds"] = r.wall_seconds;
  o["events"] = r.events;
  o["trace_events"] = r.trace_events;
  o["trace_digest"] = r.trace_digest;
  o["replay"] = replay_command(sc, r);
  json::object resolved;
  for (const auto& [path, value] : sc.resolved)
    resolved[path] = json::parse(value);
  o["swarm"] = std::move(resolved);
  json::object counts;
  for (const auto& [k, v] : r.counts)
    counts[k] = v;
  o["counts"] = std::move(counts);
  json::object summary;
  for (const auto& [k, v] : r.summary)
    summary[k] = v;
  o["final"] = std::move(summary);
  json::array checks;
  for (const auto& c : r.checks)
    checks.push_back(json::object{{"name", c.name}, {"kind", c.kind}, {"passed", c.passed}, {"at_ms", c.at},
                                  {"message", c.message}, {"violations", c.violations}});
  o["checks"] = std::move(checks);
  json::array late;
  for (const auto& l : r.late)
    late.push_back(json::object{{"step", l.index + 1}, {"name", l.name}, {"due_ms", l.due}, {"ran_ms", l.ran}});
  o["late_steps"] = std::move(late);
  return json::serialize(o) + "\n";
}

} // namespace compactsim::scenarios
