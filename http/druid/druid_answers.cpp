#include "http/druid/druid_answers.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <boost/json.hpp>

#include "http/json_format.hpp"
#include "http/no_answer.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

response empty_ok() { return response{200, "", "", {}}; }
response empty(unsigned status) { return response{status, "", "", {}}; }
response json_body(unsigned status, const json::value& v) { return response::json(status, jackson_json(v)); }

response error_body(unsigned status, std::string_view msg) { return json_body(status, json::object{{"error", msg}}); }

response druid_exception(unsigned status, std::string_view code, std::string_view category, std::string_view message) {
  json::object o;
  o["error"] = "druidException";
  o["errorCode"] = code;
  o["persona"] = "USER";
  o["category"] = category;
  o["errorMessage"] = message;
  o["context"] = json::object{};
  return json_body(status, o);
}

response druid_error(const druid::error& e) {
  switch (e.kind) {
  case druid::error_kind::jackson:
    return error_body(400, e.message);
  case druid::error_kind::invalid_input:
  case druid::error_kind::entry_exists:
    return druid_exception(400, e.kind == druid::error_kind::invalid_input ? "invalidInput" : "entryAlreadyExists",
                           "INVALID_INPUT", e.message);
  }
  return error_body(500, e.message);
}

response unavailable(const std::string& why) {
  return error_body(no_answer_status, "the simulated cluster did not answer: " + why);
}

/// Jetty's StringUtil.sanitizeXmlString, as its ErrorHandler escapes a message.
std::string jetty_escape(std::string_view text) {
  std::string out;
  for (char ch : text)
    switch (ch) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += ch;
    }
  return out;
}

response jetty_error(unsigned status, std::string_view reason) {
  auto title = std::to_string(status) + " " + jetty_escape(reason);
  return response{status, "text/html;charset=iso-8859-1",
                  "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n"
                  "<title>Error " + title + "</title>\n</head>\n<body><h2>HTTP ERROR " + title +
                    "</h2>\n</body>\n</html>\n",
                  {}};
}

response unparsable_body() { return jetty_error(500, "Server Error"); }

bool json_or_no_content_type(const call& c) {
  auto type = c.req.find_header("Content-Type");
  if (!type || type->empty())
    return true;
  std::string t{*type};
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
  auto base = t.substr(0, t.find(';'));
  return base == "application/json" || base.ends_with("+json") || base == "*/*";
}

std::optional<json::value> read_json_body(const call& c, response& bad) {
  if (!json_or_no_content_type(c)) {
    bad = jetty_error(415, "Unsupported Media Type");
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto v = json::parse(c.req.body, ec);
  if (ec) {
    bad = unparsable_body();
    return std::nullopt;
  }
  return v;
}

response untyped_entity(const call& c, response r) {
  auto accept = c.req.find_header("Accept");
  if (accept && accept->find("json") != std::string_view::npos)
    return r;
  return response{500, "", "", {}};
}

sim::druid::audit_info audit_of(const call& c) {
  auto header = [&](std::string_view name) { return std::string{c.req.find_header(name).value_or("")}; };
  return {header("X-Druid-Author"), header("X-Druid-Comment"),
          c.req.remote_address.empty() ? std::string{"127.0.0.1"} : c.req.remote_address};
}

} // namespace compactsim::http
