#pragma once
//! Druid's vocabulary of time, as Joda-Time spells it: UTC instants in
//! milliseconds, ISO-8601 intervals and periods, and segment/query
//! granularities. Formatting matches Druid's JSON byte for byte
//! ("2020-01-01T00:00:00.000Z", "P1D", "PT0S", "DAY").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace compactsim::sim::druid {

using sim::time_ms;

/// [start, end) in UTC milliseconds.
struct interval {
  time_ms start = 0;
  time_ms end = 0;

  time_ms duration() const { return end - start; }
  bool empty() const { return end <= start; }
  bool contains(const interval& o) const { return start <= o.start && o.end <= end; }
  bool overlaps(const interval& o) const { return start < o.end && o.start < end; }
  friend bool operator==(const interval&, const interval&) = default;
  friend auto operator<=>(const interval&, const interval&) = default;
};

/// An ISO-8601 period; years and months are calendar fields, the rest fixed.
struct period {
  std::int32_t years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0;
  std::int64_t millis = 0; ///< the seconds field, in milliseconds

  bool operator==(const period&) const = default;
  auto operator<=>(const period&) const = default;
  /// Length in ms when it has no calendar fields (years, months).
  std::optional<std::int64_t> fixed_millis() const;
};

/// "2020-01-01T00:00:00.000Z".
std::string format_instant(time_ms t);
/// "start/end", both as format_instant.
std::string format_interval(const interval& i);
/// "P1D", "PT0S", "PT1H30M": Joda's canonical form.
std::string format_period(const period& p);

/// ISO date or date-time: "2020-01-01", "2020-01-01T01", "...T01:02:03.004Z",
/// "+05:30" offsets.
std::optional<time_ms> parse_instant(std::string_view s);
/// "start/end", "start/period" or "period/end"; `sep` is '/' (or '_' in
/// Druid's createdTimeInterval). An end before the start is an error.
std::optional<interval> parse_interval(std::string_view s, char sep = '/');
std::optional<period> parse_period(std::string_view s);

/// `t` moved by `p` times `sign` (calendar-aware for years and months).
time_ms add(time_ms t, const period& p, int sign = 1);

/// A segment or query granularity: one of Druid's GranularityType (the
/// standard periods, NONE and ALL), or a PeriodGranularity in UTC from the
/// epoch whose period no GranularityType has (PT4H, P2D, P2M), as Druid's
/// PeriodGranularity buckets it.
class granularity {
public:
  enum class type : std::uint8_t {
    none, second, minute, five_minute, ten_minute, fifteen_minute, thirty_minute,
    hour, six_hour, eight_hour, day, week, month, quarter, year, all, period
  };
  static const granularity none, second, minute, five_minute, ten_minute, fifteen_minute, thirty_minute, hour,
    six_hour, eight_hour, day, week, month, quarter, year, all;

  constexpr granularity() = default;
  /// A PeriodGranularity({period}, null origin, UTC); nullopt for a period
  /// it cannot bucket without an origin (a compound one with months or years).
  static std::optional<granularity> of_period(const period& p);

  constexpr type kind() const { return type_; }
  /// The period of a non-standard PeriodGranularity.
  constexpr const druid::period& step() const { return period_; }

  friend constexpr bool operator==(const granularity&, const granularity&) = default;
  friend constexpr auto operator<=>(const granularity&, const granularity&) = default;

private:
  explicit constexpr granularity(type t) : type_(t) {}
  type type_ = type::none;
  druid::period period_{};
};

inline constexpr granularity granularity::none{type::none};
inline constexpr granularity granularity::second{type::second};
inline constexpr granularity granularity::minute{type::minute};
inline constexpr granularity granularity::five_minute{type::five_minute};
inline constexpr granularity granularity::ten_minute{type::ten_minute};
inline constexpr granularity granularity::fifteen_minute{type::fifteen_minute};
inline constexpr granularity granularity::thirty_minute{type::thirty_minute};
inline constexpr granularity granularity::hour{type::hour};
inline constexpr granularity granularity::six_hour{type::six_hour};
inline constexpr granularity granularity::eight_hour{type::eight_hour};
inline constexpr granularity granularity::day{type::day};
inline constexpr granularity granularity::week{type::week};
inline constexpr granularity granularity::month{type::month};
inline constexpr granularity granularity::quarter{type::quarter};
inline constexpr granularity granularity::year{type::year};
inline constexpr granularity granularity::all{type::all};

/// Case-insensitive name ("day", "DAY", "fifteen_minute").
std::optional<granularity> parse_granularity(std::string_view s);
/// The standard granularity whose period is exactly `p` (GranularityType's:
/// P1D is DAY, P3M QUARTER; PT24H is none of them).
std::optional<granularity> standard_granularity(const period& p);
/// Upper-case name as Druid serializes it ("DAY"); a non-standard period as
/// PeriodGranularity#toString ("{type=period, period=PT4H, timeZone=UTC, origin=null}").
std::string to_string(granularity g);
/// Start of the bucket holding `t` (UTC origin; weeks start on Monday).
time_ms bucket_start(granularity g, time_ms t);
/// The bucket holding `t`.
interval bucket(granularity g, time_ms t);
/// True when `i` starts and ends on bucket boundaries.
bool aligned(granularity g, const interval& i);
/// The granularity whose buckets are exactly `i` (GranularityType.fromPeriod).
std::optional<granularity> granularity_of(const interval& i);

/// Druid's ETERNITY bounds.
inline constexpr time_ms eternity_start = -4611686018427387903LL;
inline constexpr time_ms eternity_end = 4611686018427387903LL;

} // namespace compactsim::sim::druid
