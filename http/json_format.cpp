#include "http/json_format.hpp"

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

} // namespace compactsim::http
