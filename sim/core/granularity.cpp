//! Druid's granularities: the GranularityType table (names, fixed lengths,
//! ISO periods), PeriodGranularity for the other periods, and the buckets
//! each cuts time into (UTC, weeks from Monday, calendar months).

#include "sim/core/iso8601.hpp"

#include <array>
#include <cctype>

#include "sim/core/iso8601_internal.hpp"

namespace compactsim::sim::druid {

using namespace detail; // the calendar constants and helpers the two files share

namespace {

struct granularity_entry {
  granularity g;
  std::string_view name;
  std::int64_t fixed;     ///< bucket length when fixed, 0 for calendar buckets
  std::string_view iso;   ///< its period (GranularityType's), "" for NONE and ALL
};

constexpr std::array<granularity_entry, 16> granularities{{
  {granularity::none, "NONE", 1, ""},
  {granularity::second, "SECOND", second_ms, "PT1S"},
  {granularity::minute, "MINUTE", minute_ms, "PT1M"},
  {granularity::five_minute, "FIVE_MINUTE", 5 * minute_ms, "PT5M"},
  {granularity::ten_minute, "TEN_MINUTE", 10 * minute_ms, "PT10M"},
  {granularity::fifteen_minute, "FIFTEEN_MINUTE", 15 * minute_ms, "PT15M"},
  {granularity::thirty_minute, "THIRTY_MINUTE", 30 * minute_ms, "PT30M"},
  {granularity::hour, "HOUR", hour_ms, "PT1H"},
  {granularity::six_hour, "SIX_HOUR", 6 * hour_ms, "PT6H"},
  {granularity::eight_hour, "EIGHT_HOUR", 8 * hour_ms, "PT8H"},
  {granularity::day, "DAY", day_ms, "P1D"},
  {granularity::week, "WEEK", 0, "P1W"},
  {granularity::month, "MONTH", 0, "P1M"},
  {granularity::quarter, "QUARTER", 0, "P3M"},
  {granularity::year, "YEAR", 0, "P1Y"},
  {granularity::all, "ALL", 0, ""},
}};

const granularity_entry& entry(granularity g) { return granularities[static_cast<std::size_t>(g.kind())]; }

/// Next bucket boundary after the bucket start `b`.
time_ms next_bucket(granularity g, time_ms b) {
  if (g.kind() == granularity::type::period)
    return add(b, g.step());
  if (auto f = entry(g).fixed)
    return b + f;
  if (g == granularity::week)
    return b + week_ms;
  if (g == granularity::all)
    return eternity_end;
  int months = g == granularity::month ? 1 : g == granularity::quarter ? 3 : 12;
  return add(b, period{.months = months});
}

} // namespace

std::optional<granularity> parse_granularity(std::string_view s) {
  for (const auto& e : granularities) {
    if (e.name.size() != s.size())
      continue;
    bool same = true;
    for (std::size_t i = 0; i < s.size() && same; ++i)
      same = std::toupper(static_cast<unsigned char>(s[i])) == e.name[i];
    if (same)
      return e.g;
  }
  return std::nullopt;
}

std::string to_string(granularity g) {
  if (g.kind() == granularity::type::period)
    return "{type=period, period=" + format_period(g.step()) + ", timeZone=UTC, origin=null}";
  return std::string{entry(g).name};
}

std::optional<granularity> granularity::of_period(const period& p) {
  if (p == period{})
    return std::nullopt;
  if (auto g = standard_granularity(p))
    return g;
  // PeriodGranularity#truncate: a fixed length (any mix of weeks, days,
  // hours, minutes, seconds) or a single calendar field counted from the
  // epoch; a compound period with months or years needs an origin.
  bool calendar = p.years != 0 || p.months != 0;
  if (p.years < 0 || p.months < 0 || p.weeks < 0 || p.days < 0 || p.hours < 0 || p.minutes < 0 || p.millis < 0)
    return std::nullopt;
  if (calendar && (p.years != 0) + (p.months != 0) + (p.weeks != 0) + (p.days != 0) + (p.hours != 0) +
                      (p.minutes != 0) + (p.millis != 0) > 1)
    return std::nullopt;
  granularity g{type::period};
  g.period_ = p;
  return g;
}

std::optional<granularity> standard_granularity(const period& p) {
  // GranularityType.fromPeriod compares field by field: PT24H is not P1D.
  for (const auto& e : granularities)
    if (!e.iso.empty() && parse_period(e.iso) == p)
      return e.g;
  return std::nullopt;
}

time_ms bucket_start(granularity g, time_ms t) {
  if (g.kind() == granularity::type::period) {
    const auto& p = g.step();
    if (auto f = p.fixed_millis())
      return floor_div(t, *f) * *f; // from the epoch (UTC, no origin), rounding down before it
    auto ymd = date::year_month_day{date::sys_days{date::days{floor_div(t, day_ms)}}};
    std::int64_t months = (static_cast<int>(ymd.year()) - 1970) * 12LL + (static_cast<unsigned>(ymd.month()) - 1);
    std::int64_t n = p.years != 0 ? p.years * 12LL : p.months;
    months = floor_div(months, n) * n;
    return from_civil(static_cast<int>(1970 + floor_div(months, 12)), static_cast<unsigned>(months - floor_div(months, 12) * 12) + 1, 1);
  }
  if (auto f = entry(g).fixed)
    return floor_div(t, f) * f;
  switch (g.kind()) {
  case granularity::type::week:
    // 1970-01-05 was a Monday: weeks are counted from there.
    return floor_div(t - 4 * day_ms, week_ms) * week_ms + 4 * day_ms;
  case granularity::type::all:
    return eternity_start;
  default: {
    auto ymd = date::year_month_day{date::sys_days{date::days{floor_div(t, day_ms)}}};
    unsigned m = static_cast<unsigned>(ymd.month());
    if (g == granularity::quarter)
      m = (m - 1) / 3 * 3 + 1;
    else if (g == granularity::year)
      m = 1;
    return from_civil(static_cast<int>(ymd.year()), m, 1);
  }
  }
}

interval bucket(granularity g, time_ms t) {
  auto b = bucket_start(g, t);
  return {b, next_bucket(g, b)};
}

bool aligned(granularity g, const interval& i) {
  return bucket_start(g, i.start) == i.start && (i.end == i.start || bucket_start(g, i.end) == i.end);
}

std::optional<granularity> granularity_of(const interval& i) {
  for (const auto& e : granularities) {
    if (e.g == granularity::none || e.g == granularity::all)
      continue;
    if (bucket(e.g, i.start) == i)
      return e.g;
  }
  return std::nullopt;
}

} // namespace compactsim::sim::druid
