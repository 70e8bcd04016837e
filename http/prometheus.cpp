#include "http/prometheus.hpp"

#include <charconv>
#include <cmath>

namespace compactsim::http::prometheus {

family& family::add(label_set l, double v, std::string suffix) {
  samples.push_back({std::move(l), v, std::move(suffix)});
  return *this;
}

std::string escape(std::string_view text, bool quote_too) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote_too)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string{"NaN"};
}

std::string render(const std::vector<family>& families) {
  std::string out;
  for (const auto& f : families) {
    // HELP escapes backslashes and newlines only; TYPE comes once, before samples.
    out += "# HELP " + f.name + ' ' + escape(f.help, false) + '\n';
    out += "# TYPE " + f.name + ' ' + f.type + '\n';
    for (const auto& s : f.samples) {
      out += f.name;
      out += s.suffix;
      if (!s.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < s.labels.size(); ++i) {
          if (i)
            out += ',';
          out += s.labels[i].first + "=\"" + escape(s.labels[i].second) + '"';
        }
        out += '}';
      }
      out += ' ' + number(s.value) + '\n';
    }
  }
  return out;
}

} // namespace compactsim::http::prometheus
