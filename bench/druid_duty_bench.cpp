// One CompactSegments run over 1,000,000 segments in 10,000 datasources:
// prints the build time, the resident bytes per segment and the time of a
// duty run (the issue's goal: well under a second).
// Usage: bench_druid_duty [datasources] [segments per datasource] [runs]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <boost/json/parse.hpp>

#include "sim/cluster_config.hpp"
#include "sim/druid/bootstrap.hpp"
#include "sim/druid/coordinator.hpp"

namespace {

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
  using namespace compactsim::sim;
  int datasources = argc > 1 ? std::atoi(argv[1]) : 10'000;
  int per = argc > 2 ? std::atoi(argv[2]) : 100;
  int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  cluster_config cfg;
  cfg.druid.workers = {{"mm:8091", 1000}};
  cfg.druid.datasources.clear();
  cfg.druid.workloads.clear();
  auto start = *druid::parse_instant("2024-01-01");
  for (int d = 0; d < datasources; ++d) {
    druid_datasource_config ds;
    ds.name = "datasource_" + std::to_string(d);
    ds.span = druid::interval{start, start + per * 3'600'000LL};
    ds.bytes_per_segment = 100'000'000;
    cfg.druid.datasources.push_back(ds);
  }

  auto rss0 = resident_bytes();
  auto t0 = std::chrono::steady_clock::now();
  auto overlord = druid::build_overlord(cfg.druid, cfg.seed, cfg.epoch_ms);
  auto build = seconds_since(t0);
  auto rss1 = resident_bytes();
  auto segments = overlord.store().segment_count();

  druid::coordinator coordinator{cfg.druid.knobs, 1};
  for (const auto& d : cfg.druid.datasources) {
    std::string error;
    auto c = druid::parse_datasource_config(
      boost::json::parse(R"({"dataSource": ")" + d.name + R"(", "granularitySpec": {"segmentGranularity": "DAY"}})"), error);
    coordinator.configs().upsert(*c, {}, 0);
  }

  druid::duty_view view{overlord.store().snapshot(), {}, {}, overlord.total_capacity()};
  double best = 1e9, total = 0;
  druid::duty_result last;
  for (int i = 0; i < runs; ++i) {
    auto t = std::chrono::steady_clock::now();
    last = coordinator.run(view, start + 365LL * 86'400'000);
    auto s = seconds_since(t);
    best = std::min(best, s);
    total += s;
  }
  std::int64_t awaiting = 0;
  for (const auto& s : last.snapshot)
    awaiting += s.awaiting.segments;
  std::printf("segments: %zu in %d datasources (sizeof(segment) = %zu)\n", segments, datasources,
              sizeof(druid::segment));
  std::printf("build time: %.2f s\n", build);
  std::printf("resident bytes per segment: %.0f (%.1f MiB in all)\n",
              static_cast<double>(rss1 - rss0) / static_cast<double>(segments),
              static_cast<double>(rss1 - rss0) / (1024.0 * 1024.0));
  std::printf("duty run: best %.3f s, mean %.3f s over %d runs (%zu tasks submitted, %lld segments awaiting)\n", best,
              total / runs, runs, last.submissions.size(), static_cast<long long>(awaiting));
  return 0;
}
