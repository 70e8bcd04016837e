//! Query parameters as Jersey converts them for Druid's resources
//! (@QueryParam Double, Integer and Boolean) and Joda's interval message.

#include "http/druid/query_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace druid = sim::druid;

/// Java's Double.valueOf (FloatingDecimal.readJavaFormatString): surrounding
/// control characters and spaces trimmed, an optional sign, then "NaN",
/// "Infinity", a decimal with an optional exponent or a hex float with a
/// binary one, either with an optional f/F/d/D suffix. Out of range is
/// Infinity or zero, never an error. nullopt where Java throws
/// NumberFormatException ("nan", "inf", "abc", "").
std::optional<double> java_double_value_of(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ')
    s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ')
    s.remove_suffix(1);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "NaN")
    return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity")
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (!s.empty() && std::string_view{"fFdD"}.find(s.back()) != std::string_view::npos)
    s.remove_suffix(1);
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const auto body = hex ? s.substr(2) : s;
  // The grammar: digits, an optional point and digits (one digit at least),
  // then the exponent: decimal e/E (optional), hex p/P (required).
  std::size_t i = 0, digits = 0;
  auto is_digit = [&](char ch) { return hex ? std::isxdigit(static_cast<unsigned char>(ch)) != 0 : ch >= '0' && ch <= '9'; };
  for (; i < body.size() && is_digit(body[i]); ++i)
    ++digits;
  if (i < body.size() && body[i] == '.')
    for (++i; i < body.size() && is_digit(body[i]); ++i)
      ++digits;
  if (digits == 0)
    return std::nullopt;
  const bool has_exponent = i < body.size() && (hex ? (body[i] == 'p' || body[i] == 'P') : (body[i] == 'e' || body[i] == 'E'));
  if (hex && !has_exponent)
    return std::nullopt;
  if (has_exponent) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-'))
      ++i;
    std::size_t exponent_digits = 0;
    for (; i < body.size() && body[i] >= '0' && body[i] <= '9'; ++i)
      ++exponent_digits;
    if (exponent_digits == 0)
      return std::nullopt;
  }
  if (i != body.size())
    return std::nullopt;
  // strtod in the C locale reads this grammar and saturates as Java does.
  const std::string text = std::string{hex ? "0x" : ""} + std::string{body};
  const double v = std::strtod(text.c_str(), nullptr);
  return negative ? -v : v;
}

/// Java's Integer.valueOf: an optional sign and decimal digits, nothing else,
/// within int's range.
std::optional<std::int32_t> java_int_value_of(std::string_view s) {
  if (!s.empty() && s[0] == '+')
    s.remove_prefix(1);
  if (s.empty() || s[0] == '+')
    return std::nullopt;
  std::int32_t v{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || s == "-")
    return std::nullopt;
  return v;
}

std::optional<bool> query_bool(const call& c, std::string_view key) {
  auto raw = c.param(key);
  if (!raw)
    return std::nullopt;
  auto lower = *raw;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return lower == "true"; // Boolean.valueOf
}

/// Joda's message for an interval it cannot read (Interval(String)).
std::string joda_interval_error(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos)
    return "Format requires a '/' separator: " + std::string{text};
  auto start = druid::parse_interval(std::string{text.substr(0, slash)} + "/P1D");
  if (!start)
    return "Invalid format: \"" + std::string{text.substr(0, slash)} + "\"";
  auto end = text.substr(slash + 1);
  if (druid::parse_interval("1970-01-01/" + std::string{end}) || druid::parse_interval(std::string{end} + "/P1D"))
    return "The end instant must be greater than the start instant";
  return "Invalid format: \"" + std::string{end} + "\"";
}

} // namespace compactsim::http
