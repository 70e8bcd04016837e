//! Instants, periods and intervals as Joda-Time reads and writes them, and
//! period arithmetic. Granularities and their buckets are in granularity.cpp.

#include "sim/core/iso8601.hpp"

#include <cctype>
#include <algorithm>
#include <charconv>

#include <date/date.h>

#include "sim/core/iso8601_internal.hpp"

namespace compactsim::sim::druid {

using namespace detail; // the calendar constants and helpers the two files share

namespace {

using ms_point = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

} // namespace

std::optional<std::int64_t> period::fixed_millis() const {
  if (years != 0 || months != 0)
    return std::nullopt;
  return weeks * week_ms + days * day_ms + hours * hour_ms + minutes * minute_ms + millis;
}

std::string format_instant(time_ms t) {
  auto tp = ms_point{std::chrono::milliseconds{t}};
  return date::format("%FT%TZ", tp);
}

std::string format_interval(const interval& i) { return format_instant(i.start) + "/" + format_instant(i.end); }

std::string format_period(const period& p) {
  std::string out = "P";
  auto field = [&out](std::int64_t v, char unit) {
    if (v != 0)
      out += std::to_string(v) + unit;
  };
  field(p.years, 'Y');
  field(p.months, 'M');
  field(p.weeks, 'W');
  field(p.days, 'D');
  if (p.hours != 0 || p.minutes != 0 || p.millis != 0) {
    out += 'T';
    field(p.hours, 'H');
    field(p.minutes, 'M');
    if (p.millis != 0) {
      auto whole = p.millis / 1000, frac = p.millis % 1000;
      out += (p.millis < 0 && whole == 0 ? "-" : "") + std::to_string(whole);
      if (frac != 0) {
        char buf[4];
        auto f = frac < 0 ? -frac : frac;
        buf[0] = char('0' + f / 100), buf[1] = char('0' + f / 10 % 10), buf[2] = char('0' + f % 10), buf[3] = 0;
        out += '.';
        out += buf;
      }
      out += 'S';
    }
  }
  return out == "P" ? "PT0S" : out;
}

std::optional<time_ms> parse_instant(std::string_view s) {
  std::size_t pos = 0;
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0;
  bool negative_year = !s.empty() && s[0] == '-';
  if (negative_year)
    ++pos;
  if (!digits(s, pos, 4, y))
    return std::nullopt;
  if (negative_year)
    y = -y;
  if (pos < s.size() && s[pos] == '-') {
    ++pos;
    if (!digits(s, pos, 2, mo))
      return std::nullopt;
    if (pos < s.size() && s[pos] == '-') {
      ++pos;
      if (!digits(s, pos, 2, d))
        return std::nullopt;
    }
  }
  if (pos < s.size() && s[pos] == 'T') {
    ++pos;
    if (!digits(s, pos, 2, h))
      return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!digits(s, pos, 2, mi))
        return std::nullopt;
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!digits(s, pos, 2, sec))
          return std::nullopt;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
          ++pos;
          std::size_t n = 0;
          int scale = 100;
          while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            if (n++ < 3)
              ms += (s[pos] - '0') * scale, scale /= 10;
            ++pos;
          }
          if (n == 0)
            return std::nullopt;
        }
      }
    }
  }
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int sign = s[pos] == '-' ? -1 : 1, oh = 0, om = 0;
      ++pos;
      if (!digits(s, pos, 2, oh))
        return std::nullopt;
      if (pos < s.size() && s[pos] == ':')
        ++pos;
      if (pos < s.size() && !digits(s, pos, 2, om))
        return std::nullopt;
      offset = sign * (oh * hour_ms + om * minute_ms);
    }
  }
  if (pos != s.size() || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
    return std::nullopt;
  auto ymd = date::year{y} / date::month{unsigned(mo)} / date::day{unsigned(d)};
  if (!ymd.ok())
    return std::nullopt;
  return from_civil(y, unsigned(mo), unsigned(d)) + h * hour_ms + mi * minute_ms + sec * second_ms + ms - offset;
}

std::optional<period> parse_period(std::string_view text) {
  // Joda's period parser matches its letters ignoring case ("pt1h" is PT1H).
  std::string upper{text};
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  const std::string_view s = upper;
  if (s.size() < 2 || s[0] != 'P')
    return std::nullopt;
  period p;
  bool time = false, any = false;
  std::size_t pos = 1;
  while (pos < s.size()) {
    if (s[pos] == 'T') {
      if (time)
        return std::nullopt;
      time = true;
      ++pos;
      continue;
    }
    std::int64_t whole = 0;
    bool neg = s[pos] == '-';
    if (neg)
      ++pos;
    auto [ptr, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), whole);
    if (ec != std::errc{} || ptr == s.data() + pos || whole > 1'000'000'000)
      return std::nullopt;
    pos = static_cast<std::size_t>(ptr - s.data());
    std::int64_t frac = 0;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int scale = 100;
      std::size_t n = 0;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (n++ < 3)
          frac += (s[pos] - '0') * scale, scale /= 10;
        ++pos;
      }
      if (n == 0 || pos >= s.size() || s[pos] != 'S' || !time)
        return std::nullopt;
    }
    if (pos >= s.size())
      return std::nullopt;
    if (neg)
      whole = -whole, frac = -frac;
    auto v = static_cast<std::int32_t>(whole);
    switch (s[pos]) {
    case 'Y': if (time) return std::nullopt; p.years = v; break;
    case 'M': (time ? p.minutes : p.months) = v; break;
    case 'W': if (time) return std::nullopt; p.weeks = v; break;
    case 'D': if (time) return std::nullopt; p.days = v; break;
    case 'H': if (!time) return std::nullopt; p.hours = v; break;
    case 'S': if (!time) return std::nullopt; p.millis = whole * 1000 + frac; break;
    default: return std::nullopt;
    }
    any = true;
    ++pos;
  }
  if (!any)
    return std::nullopt;
  return p;
}

time_ms add(time_ms t, const period& p, int sign) {
  if (p.years != 0 || p.months != 0) {
    auto day_start = floor_div(t, day_ms) * day_ms;
    auto ymd = date::year_month_day{date::sys_days{date::days{day_start / day_ms}}};
    auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{sign * (p.years * 12 + p.months)};
    // Joda clamps the day to the end of a shorter month (Jan 31 + P1M = Feb 28).
    auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
    auto day = ymd.day() > last ? last : ymd.day();
    auto moved = date::sys_days{ym.year() / ym.month() / day}.time_since_epoch().count() * day_ms;
    t = moved + (t - day_start);
  }
  std::int64_t fixed = p.weeks * week_ms + p.days * day_ms + p.hours * hour_ms + p.minutes * minute_ms + p.millis;
  return t + sign * fixed;
}

std::optional<interval> parse_interval(std::string_view s, char sep) {
  auto cut = s.find(sep);
  if (cut == std::string_view::npos || s.find(sep, cut + 1) != std::string_view::npos)
    return std::nullopt;
  auto a = s.substr(0, cut), b = s.substr(cut + 1);
  interval out;
  if (!a.empty() && a[0] == 'P') {
    auto p = parse_period(a);
    auto e = parse_instant(b);
    if (!p || !e)
      return std::nullopt;
    out = {add(*e, *p, -1), *e};
  } else if (!b.empty() && b[0] == 'P') {
    auto st = parse_instant(a);
    auto p = parse_period(b);
    if (!st || !p)
      return std::nullopt;
    out = {*st, add(*st, *p)};
  } else {
    auto st = parse_instant(a), e = parse_instant(b);
    if (!st || !e)
      return std::nullopt;
    out = {*st, *e};
  }
  if (out.end < out.start)
    return std::nullopt;
  return out;
}

} // namespace compactsim::sim::druid
