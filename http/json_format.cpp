#include "http/json_format.hpp"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace compactsim::http {

namespace {

void write(std::string& out, const boost::json::value& v, int depth) {
  auto indent = [&](int d) { out.append(static_cast<std::size_t>(d) * 4, ' '); };
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& kv : o) {
      if (!first)
        out += ",\n";
      first = false;
      indent(depth + 1);
      out += quoted(kv.key());
      out += ": ";
      write(out, kv.value(), depth + 1);
    }
    out += "\n";
    indent(depth);
    out += "}";
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0)
        out += ",\n";
      indent(depth + 1);
      write(out, a[i], depth + 1);
    }
    out += "\n";
    indent(depth);
    out += "]";
  } else {
    out += boost::json::serialize(v);
  }
}

} // namespace

std::string pretty_json(const boost::json::value& v) {
  std::string out;
  write(out, v, 0);
  return out;
}

std::string quoted(std::string_view s) {
  return boost::json::serialize(boost::json::string(s));
}

std::string java_double(double d) {
  if (std::isnan(d))
    return "NaN";
  if (std::isinf(d))
    return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0)
    return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  double mag = std::fabs(d);
  if (mag >= 1e-3 && mag < 1e7) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    std::string out{buf, end};
    if (out.find('.') == std::string::npos)
      out += ".0";
    return out;
  }
  // Scientific: "1.0E-4", "1.2345E10".
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string text{buf, end};
  auto e = text.find('e');
  std::string mantissa = text.substr(0, e);
  if (mantissa.find('.') == std::string::npos)
    mantissa += ".0";
  int exponent = std::stoi(text.substr(e + 1));
  return mantissa + "E" + std::to_string(exponent);
}

namespace {

void write_jackson(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
  case boost::json::kind::object: {
    out += '{';
    bool first = true;
    for (const auto& [k, x] : v.get_object()) {
      if (!first)
        out += ',';
      first = false;
      out += quoted(k);
      out += ':';
      write_jackson(out, x);
    }
    out += '}';
    break;
  }
  case boost::json::kind::array: {
    out += '[';
    bool first = true;
    for (const auto& x : v.get_array()) {
      if (!first)
        out += ',';
      first = false;
      write_jackson(out, x);
    }
    out += ']';
    break;
  }
  case boost::json::kind::double_:
    // JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS (on by default): NaN
    // and the infinities are written as strings, so the text stays JSON.
    if (std::isfinite(v.get_double()))
      out += java_double(v.get_double());
    else
      out += '"' + java_double(v.get_double()) + '"';
    break;
  default:
    out += boost::json::serialize(v);
  }
}

} // namespace

std::string jackson_json(const boost::json::value& v) {
  std::string out;
  write_jackson(out, v);
  return out;
}

} // namespace compactsim::http
