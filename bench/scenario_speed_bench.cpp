// The scenario runner's speed: a 24 h virtual day of 100 BEs holding 100,000
// tablets (3 replicas each) under loads and automatic compaction. Prints
// virtual seconds per wall second and scheduler events per second (goal:
// at least 1,000x real time and 1,000,000 events/s on 2 cores).
// Usage: bench_scenario_speed [hours] [backends] [tables] [buckets per table] [load period s]

#include <cstdio>
#include <cstdlib>
#include <string>

#include "scenarios/runner.hpp"

int main(int argc, char** argv) {
  using namespace compactsim;
  int hours = argc > 1 ? std::atoi(argv[1]) : 24;
  int backends = argc > 2 ? std::atoi(argv[2]) : 100;
  int tables = argc > 3 ? std::atoi(argv[3]) : 10;
  int buckets = argc > 4 ? std::atoi(argv[4]) : 10'000;
  double period_s = argc > 5 ? std::atof(argv[5]) : 600;
  std::string text = R"({"name": "speed", "duration": ")" + std::to_string(hours) + R"(h", "check_every": "1h",
    "cluster": {"druid": {"enabled": false}, "doris": {"backends": )" + std::to_string(backends) + R"(, "tables": [)";
  std::string workloads;
  for (int t = 0; t < tables; ++t) {
    auto id = std::to_string(40'000 + t);
    text += (t ? "," : "") + std::string{R"({"id": )"} + id + R"(, "keys_type": "DUP_KEYS", "buckets": )" +
            std::to_string(buckets) + R"(, "replication_num": 3, "initial_loads": 2})";
    workloads += (t ? "," : "") + std::string{R"({"table": )"} + id + R"(, "loads_per_second": )" +
                 std::to_string(1.0 / period_s) + R"(, "rows_per_load": )" + std::to_string(buckets * 1000LL) + "}";
  }
  text += "], \"workloads\": [" + workloads + "]}}}";
  std::string error;
  auto sc = scenarios::parse_scenario(text, 1, error);
  if (!sc) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto r = scenarios::run_scenario(*sc, {});
  auto virtual_s = static_cast<double>(r.virtual_ms) / 1000.0;
  std::printf("cluster: %d BEs, %d tablets x 3 replicas, one load per table every %.0f s\n", backends, tables * buckets,
              period_s);
  auto run_s = r.wall_seconds - r.setup_seconds;
  std::printf("virtual time: %.0f s in %.2f s wall = %.0fx real time (cluster build %.2f s of it)\n", virtual_s,
              r.wall_seconds, virtual_s / r.wall_seconds, r.setup_seconds);
  std::printf("scheduler events: %llu = %.0f events/s overall, %.0f events/s once built (%.0fx real time)\n",
              static_cast<unsigned long long>(r.events), static_cast<double>(r.events) / r.wall_seconds,
              static_cast<double>(r.events) / run_s, virtual_s / run_s);
  std::printf("trace events: %llu (compactions finished %llu), checks %s\n",
              static_cast<unsigned long long>(r.trace_events),
              static_cast<unsigned long long>(r.counts.count("compaction.finish") ? r.counts.at("compaction.finish") : 0),
              r.passed ? "all held" : "FAILED");
  return r.passed ? 0 : 1;
}
