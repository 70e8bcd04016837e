#pragma once
//! What iso8601.cpp (instants, periods, intervals) and granularity.cpp
//! (granularities and their buckets) share: the fixed lengths of time and
//! day arithmetic in UTC. Not a public API.

#include <cstdint>

#include <date/date.h>

#include "sim/core/time.hpp"

namespace compactsim::sim::druid::detail {

inline constexpr std::int64_t second_ms = 1000;
inline constexpr std::int64_t minute_ms = 60 * second_ms;
inline constexpr std::int64_t hour_ms = 60 * minute_ms;
inline constexpr std::int64_t day_ms = 24 * hour_ms;
inline constexpr std::int64_t week_ms = 7 * day_ms;

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

inline sim::time_ms from_civil(int y, unsigned m, unsigned d) {
  auto days = date::sys_days{date::year{y} / date::month{m} / date::day{d}};
  return days.time_since_epoch().count() * day_ms;
}

} // namespace compactsim::sim::druid::detail
