#pragma once
//! Query parameters as Jersey converts them for Druid's resources
//! (@QueryParam Double, Integer and Boolean) and Joda's interval message.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "http/route_table.hpp"

namespace compactsim::http {

/// Java's Double.valueOf; nullopt where Java throws NumberFormatException.
std::optional<double> java_double_value_of(std::string_view s);
/// Java's Integer.valueOf: an optional sign and decimal digits, within int's range.
std::optional<std::int32_t> java_int_value_of(std::string_view s);

/// A @QueryParam Double or Integer: absent is null; one that does not convert
/// is Jersey's ParamException.QueryParamException, a 404 that Jetty's error
/// page answers (Druid maps no ParamException).
template <class T>
bool query_number(const call& c, std::string_view key, std::optional<T>& out) {
  auto raw = c.param(key);
  if (!raw)
    return true;
  std::optional<T> v;
  if constexpr (std::is_same_v<T, double>)
    v = java_double_value_of(*raw);
  else
    v = java_int_value_of(*raw);
  if (!v)
    return false;
  out = *v;
  return true;
}

/// A @QueryParam Boolean: Boolean.valueOf (only "true", any case, is true); absent is nullopt.
std::optional<bool> query_bool(const call& c, std::string_view key);

/// Joda's message for an interval it cannot read (Interval(String)).
std::string joda_interval_error(std::string_view text);

} // namespace compactsim::http
