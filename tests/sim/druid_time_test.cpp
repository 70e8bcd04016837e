//! sim/druid_time: Joda's ISO-8601 spellings and Druid's granularity buckets.

#include <boost/test/unit_test.hpp>

#include "tests/sim/print.hpp"

#include "sim/core/iso8601.hpp"

namespace druid = compactsim::sim::druid;
using druid::granularity;

namespace {

druid::time_ms at(const char* iso) {
  auto t = druid::parse_instant(iso);
  BOOST_REQUIRE_MESSAGE(t, iso);
  return *t;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_druid_time)

BOOST_AUTO_TEST_CASE(instants_parse_every_iso_form_and_print_as_druid_does) {
  BOOST_TEST(druid::format_instant(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(druid::format_instant(at("2020-01-01")) == "2020-01-01T00:00:00.000Z");
  BOOST_TEST(druid::format_instant(at("2020-02-29T13")) == "2020-02-29T13:00:00.000Z");
  BOOST_TEST(druid::format_instant(at("2023-07-31T18:15:19.302Z")) == "2023-07-31T18:15:19.302Z");
  BOOST_TEST(at("2020-01-01T05:30:00+05:30") == at("2020-01-01T00:00:00Z"));
  BOOST_TEST(at("2020-01-01T00:00:00.5Z") == at("2020-01-01") + 500);
  BOOST_TEST(at("2020") == at("2020-01-01")); // Joda takes a bare year
  for (const char* bad : {"", "20", "x2020-01-01", "2020-13-01", "2021-02-29", "2020-01-01T25", "2020-01-01Tab",
                          "2020-01-01 00:00", "2020-01-01T00:00:00.Z"})
    BOOST_TEST(!druid::parse_instant(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(intervals_accept_periods_on_either_side_and_reject_reversed_ones) {
  auto year = druid::parse_interval("2020-01-01/2021-01-01");
  BOOST_REQUIRE(year);
  BOOST_TEST(druid::format_interval(*year) == "2020-01-01T00:00:00.000Z/2021-01-01T00:00:00.000Z");
  BOOST_TEST(year->duration() == 366LL * 86'400'000); // 2020 is a leap year
  auto after = druid::parse_interval("2020-01-31/P1M");
  BOOST_REQUIRE(after);
  BOOST_TEST(druid::format_instant(after->end) == "2020-02-29T00:00:00.000Z"); // Joda clamps to the month's end
  auto before = druid::parse_interval("PT1H/2020-01-01T01:00:00Z");
  BOOST_REQUIRE(before);
  BOOST_TEST(before->start == at("2020-01-01"));
  BOOST_TEST(druid::parse_interval("2020-01-01_2020-01-02", '_').has_value());
  BOOST_TEST(!druid::parse_interval("2021-01-01/2020-01-01").has_value());
  BOOST_TEST(!druid::parse_interval("2020-01-01").has_value());
  BOOST_TEST(!druid::parse_interval("2020-01-01/2020-01-02/2020-01-03").has_value());
  BOOST_TEST(druid::parse_interval("2020-01-01/2020-01-01")->empty());
}

BOOST_AUTO_TEST_CASE(periods_round_trip_in_jodas_canonical_form) {
  for (const char* p : {"P1D", "PT0S", "PT1H", "P1Y2M3DT4H5M6S", "P2W", "PT1.500S", "PT30M"}) {
    auto parsed = druid::parse_period(p);
    BOOST_REQUIRE_MESSAGE(parsed, p);
    BOOST_TEST(druid::format_period(*parsed) == (std::string{p} == "PT0S" ? "PT0S" : p));
  }
  BOOST_TEST(druid::parse_period("PT1H")->fixed_millis().value() == 3'600'000);
  BOOST_TEST(!druid::parse_period("P1M")->fixed_millis().has_value());
  for (const char* bad : {"", "P", "1D", "P1H", "PT1D", "P1X", "PTS", "P1.5D", "PT"})
    BOOST_TEST(!druid::parse_period(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(granularities_parse_any_case_and_bucket_on_utc_boundaries) {
  BOOST_TEST(druid::parse_granularity("day") == granularity::day);
  BOOST_TEST(druid::parse_granularity("FIFTEEN_MINUTE") == granularity::fifteen_minute);
  BOOST_TEST(!druid::parse_granularity("fortnight").has_value());
  BOOST_TEST(druid::to_string(granularity::hour) == "HOUR");

  auto t = at("2020-05-14T13:47:12Z"); // a Thursday
  BOOST_TEST(druid::bucket_start(granularity::hour, t) == at("2020-05-14T13"));
  BOOST_TEST(druid::bucket_start(granularity::day, t) == at("2020-05-14"));
  BOOST_TEST(druid::bucket_start(granularity::week, t) == at("2020-05-11")); // Monday
  BOOST_TEST(druid::bucket_start(granularity::month, t) == at("2020-05-01"));
  BOOST_TEST(druid::bucket_start(granularity::quarter, t) == at("2020-04-01"));
  BOOST_TEST(druid::bucket_start(granularity::year, t) == at("2020-01-01"));
  BOOST_TEST(druid::bucket(granularity::month, at("2020-02-10")).end == at("2020-03-01"));
  BOOST_TEST(druid::bucket_start(granularity::day, at("1969-12-31T23:00:00Z")) == at("1969-12-31"));

  BOOST_TEST(druid::aligned(granularity::day, *druid::parse_interval("2020-01-01/2020-01-03")));
  BOOST_TEST(!druid::aligned(granularity::day, *druid::parse_interval("2020-01-01T01/2020-01-03")));
  BOOST_TEST(druid::granularity_of(*druid::parse_interval("2020-01-01T05/2020-01-01T06")) == granularity::hour);
  BOOST_TEST(druid::granularity_of(*druid::parse_interval("2020-02-01/2020-03-01")) == granularity::month);
  BOOST_TEST(!druid::granularity_of(*druid::parse_interval("2020-01-01/2020-01-03")).has_value());
}

// PeriodGranularity#truncate with no origin in UTC: a fixed length buckets
// from the epoch (rounding down before it), one calendar field counts its
// units from 1970-01; a standard period is its GranularityType.
BOOST_AUTO_TEST_CASE(period_granularities_bucket_from_the_epoch_as_druid_truncates) {
  auto of = [](const char* p) {
    auto g = granularity::of_period(*druid::parse_period(p));
    BOOST_REQUIRE_MESSAGE(g, p);
    return *g;
  };
  BOOST_TEST(of("P1D") == granularity::day);
  BOOST_TEST(of("PT6H") == granularity::six_hour);
  auto four = of("PT4H");
  BOOST_TEST((four.kind() == granularity::type::period));
  BOOST_TEST(druid::to_string(four) == "{type=period, period=PT4H, timeZone=UTC, origin=null}");
  BOOST_TEST(druid::bucket_start(four, at("2020-05-14T13:47:12Z")) == at("2020-05-14T12"));
  BOOST_TEST(druid::bucket(four, at("2020-05-14T23:59Z")).end == at("2020-05-15"));
  BOOST_TEST(druid::bucket_start(four, at("1969-12-31T23:00Z")) == at("1969-12-31T20"));
  BOOST_TEST(druid::aligned(four, *druid::parse_interval("2020-01-01T04/2020-01-01T12")));
  BOOST_TEST(!druid::aligned(four, *druid::parse_interval("2020-01-01T02/2020-01-01T06")));
  // P2D counts days from 1970-01-01: 2020-05-14 is day 18,396, even.
  BOOST_TEST(druid::bucket_start(of("P2D"), at("2020-05-15T10Z")) == at("2020-05-14"));
  BOOST_TEST(druid::bucket_start(of("PT1H30M"), at("2020-01-01T02:00Z")) == at("2020-01-01T01:30"));
  // P2M from 1970-01: May 2020 is month 604, so its pair starts in May.
  BOOST_TEST(druid::bucket_start(of("P2M"), at("2020-06-30Z")) == at("2020-05-01"));
  BOOST_TEST(druid::bucket(of("P2M"), at("2020-05-01Z")).end == at("2020-07-01"));
  BOOST_TEST(druid::bucket_start(of("P2M"), at("1969-12-15Z")) == at("1969-11-01"));
  BOOST_TEST(druid::bucket_start(of("P2Y"), at("2021-03-01Z")) == at("2020-01-01"));
  BOOST_TEST(!granularity::of_period(*druid::parse_period("P1M2D")).has_value());
  BOOST_TEST(!granularity::of_period(*druid::parse_period("PT0S")).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
