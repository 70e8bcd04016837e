#pragma once
//! Small builders shared by the Druid model tests.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "tests/sim/print.hpp"

#include "sim/druid/duty.hpp"
#include "sim/druid/overlord.hpp"

namespace compactsim::test {

namespace druid = sim::druid;

inline druid::time_ms at(const char* iso) {
  auto t = druid::parse_instant(iso);
  BOOST_REQUIRE_MESSAGE(t, iso);
  return *t;
}

inline druid::datasource_config config(const char* text) {
  std::string error;
  auto c = druid::parse_datasource_config(boost::json::parse(text), error);
  BOOST_REQUIRE_MESSAGE(c, error);
  return *c;
}

inline const druid::segment_schema wiki_schema{{"channel", "page", "user"}, {"count", "added"},
                                              druid::granularity::none, false};

/// `count` segments of `g` from `start`, `partitions` each of `bytes` and `rows`.
inline void ingest_run(druid::overlord& o, const std::string& ds, druid::time_ms start, druid::granularity g, int count,
                       int partitions, std::int64_t bytes, std::int64_t rows, druid::time_ms version) {
  auto b = druid::bucket(g, start);
  for (int i = 0; i < count; ++i, b = druid::bucket(g, b.end))
    for (int p = 0; p < partitions; ++p)
      o.ingest(ds, b, rows, bytes, wiki_schema, version);
}

/// What the coordinator reads from the overlord before a duty run.
inline druid::duty_input duty_input_of(const druid::overlord& o, const druid::cluster_compaction_config& cfg,
                                       druid::time_ms now, std::int64_t current, std::int64_t auto_scale = -1) {
  druid::duty_input in;
  in.config = &cfg;
  in.timelines = o.store().snapshot();
  in.active = o.active_compaction_tasks();
  in.locks = o.locks(now);
  in.current_capacity = current;
  in.max_capacity_auto_scale = auto_scale;
  in.now = now;
  return in;
}

/// Submits every spec and runs the overlord until nothing is active.
inline druid::time_ms run_all(druid::overlord& o, const std::vector<boost::json::object>& specs, druid::time_ms now) {
  for (const auto& spec : specs) {
    auto r = o.submit(spec, now);
    BOOST_REQUIRE(std::holds_alternative<std::string>(r));
  }
  for (int guard = 0; guard < 10'000; ++guard) {
    auto started = o.step(now);
    bool any = false;
    for (const auto* t : o.tasks())
      if (t->active() && t->runner == druid::runner_state::running) {
        any = true;
        now = std::max(now, t->finish_at);
      }
    if (!any && started.empty())
      break;
    for (const auto* t : o.tasks())
      if (t->active() && t->runner == druid::runner_state::running && t->finish_at <= now)
        o.finish(t->id, now);
  }
  return now;
}

} // namespace compactsim::test
