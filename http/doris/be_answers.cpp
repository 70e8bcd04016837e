#include "http/doris/be_answers.hpp"

#include <cerrno>
#include <cstdlib>

#include <boost/json/object.hpp>

#include "http/json_format.hpp"

namespace compactsim::http::doris {

std::string status_json(std::string_view code, std::string_view msg) {
  return pretty_json(boost::json::object{{"status", code}, {"msg", msg}});
}

namespace {

/// Whether strto(u)ll would convert something: blanks, a sign, a digit.
bool has_number(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
    ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    ++i;
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

} // namespace

std::optional<std::uint64_t> stoull(std::string_view text) {
  std::string s{text};
  if (!has_number(s))
    return std::nullopt;
  errno = 0;
  auto v = std::strtoull(s.c_str(), nullptr, 10);
  if (errno == ERANGE)
    return std::nullopt;
  return v;
}

std::optional<std::int64_t> stoll(std::string_view text) {
  std::string s{text};
  if (!has_number(s))
    return std::nullopt;
  errno = 0;
  auto v = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE)
    return std::nullopt;
  return v;
}

} // namespace compactsim::http::doris
