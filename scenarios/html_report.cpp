#include "scenarios/html_report.hpp"

#include <boost/json.hpp>

#include "scenarios/report.hpp"
#include "web/assets.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

namespace {

std::string asset(std::string_view name) {
  auto a = web::find_asset(name);
  return a ? std::string{a->body} : std::string{};
}

/// Text inside <script>: "</" would end the element early.
std::string script_safe(std::string s) {
  for (std::size_t at = s.find("</"); at != std::string::npos; at = s.find("</", at + 3))
    s.replace(at, 2, "<\\/");
  return s;
}

json::value bound(const std::optional<double>& b) { return b ? json::value(*b) : json::value(nullptr); }

json::object report_data(const scenario& sc, const run_result& r) {
  json::array checks, series, bands;
  for (const auto& c : r.checks)
    checks.push_back(json::object{{"name", c.name}, {"kind", c.kind}, {"passed", c.passed}, {"at", c.at},
                                  {"message", c.message}, {"violations", c.violations}, {"metric", c.metric}});
  for (const auto& s : r.series)
    series.push_back(json::object{{"key", s.key}, {"label", s.key}, {"t", json::array(s.t.begin(), s.t.end())},
                                  {"v", json::array(s.v.begin(), s.v.end())}, {"min", bound(s.check.min)},
                                  {"max", bound(s.check.max)}, {"equals", bound(s.check.equals)}});
  for (const auto& b : r.bands)
    bands.push_back(json::object{{"id", b.id}, {"kind", b.kind}, {"nodes", json::array(b.nodes.begin(), b.nodes.end())},
                                 {"from", b.from}, {"to", b.to}});
  auto summary = json::parse(report_json(sc, r)).as_object();
  return json::object{{"name", sc.name},
                      {"description", sc.description},
                      {"seed", r.seed},
                      {"passed", r.passed},
                      {"traceDigest", r.trace_digest},
                      {"replay", summary.at("replay")},
                      {"virtualMs", r.virtual_ms},
                      {"wallSeconds", r.wall_seconds},
                      {"events", r.events},
                      {"traceEvents", r.trace_events},
                      {"checks", std::move(checks)},
                      {"series", std::move(series)},
                      {"bands", std::move(bands)},
                      {"report", std::move(summary)}};
}

} // namespace

std::string html_report(const scenario& sc, const run_result& r) {
  std::string out;
  out += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + xml_escape(sc.name) + "</title>\n";
  out += "<style>\n" + asset("uPlot.min.css") + "\n" + asset("report.css") + "\n</style>\n</head>\n<body>\n";
  out += "<header></header>\n<main>\n";
  out += "<section><h2>Run</h2><dl id=\"facts\"></dl></section>\n";
  out += "<section><h2>Faults over virtual time</h2><div id=\"timeline\" class=\"timeline\"></div></section>\n";
  out += "<section><h2>Checked metrics</h2><div id=\"charts\" class=\"charts\"></div></section>\n";
  out += "<section><h2>Checks</h2><table id=\"checks\"><thead><tr><th>verdict</th><th>kind</th><th>check</th>"
         "<th>virtual time</th><th>message</th></tr></thead><tbody></tbody></table></section>\n";
  out += "</main>\n";
  out += "<script type=\"application/json\" id=\"report-data\">" + script_safe(json::serialize(report_data(sc, r))) +
         "</script>\n";
  // uPlot is MIT-licensed; its notice travels with it.
  out += "<!-- uPlot (https://github.com/leeoniya/uPlot)\n" + asset("uPlot.LICENSE") + "-->\n";
  out += "<script>\n" + script_safe(asset("uPlot.min.js")) + "\n</script>\n";
  out += "<script>\n" + script_safe(asset("dom.js")) + "\n</script>\n";
  out += "<script>\n" + script_safe(asset("report.js")) + "\n</script>\n";
  out += "</body>\n</html>\n";
  return out;
}

} // namespace compactsim::scenarios
