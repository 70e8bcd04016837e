// The scenario runner's speed and memory at cluster load, against raw CAF
// dispatch measured in the same run. Prints virtual seconds per wall second,
// scheduler events per second and their ratio to a CAF 0.17 ping-pong on the
// same deterministic scheduler, and resident memory at every hourly
// invariant check (per replica, net of the process before the cluster).
//
// Usage: bench_scenario_speed [duration] [backends] [tables] [buckets per table] [load period s]
//        bench_scenario_speed --preset w1 [duration]
// duration: hours ("24"), or a scenario duration ("20m", "2h"). Default: 24 h
// of 100 BEs, 10 tables x 10,000 buckets, a load per table every 600 s.
// Preset w1 (issue 12): 100 BEs, 100 tables x 1,000 buckets x 3 replicas
// (300,000 replicas), a load per table every 10 s, 24 h.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include "actors/virtual_time.hpp"
#include "scenarios/runner.hpp"

namespace {

using namespace compactsim;

/// Resident memory in bytes (/proc/self/statm).
double resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

/// Messages per second two actors pass back and forth on CAF's test
/// coordinator: the dispatch rate the runner's events are measured against.
double ping_pong_rate(std::uint64_t messages) {
  caf::actor_system_config cfg;
  actors::use_test_scheduler(cfg);
  caf::actor_system sys{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto player = [](caf::event_based_actor* self) -> caf::behavior {
    return {[self](std::uint64_t n) {
      if (n > 0)
        self->send(caf::actor_cast<caf::actor>(self->current_sender()), n - 1);
    }};
  };
  auto a = sys.spawn(player);
  auto b = sys.spawn(player);
  sched.run();
  caf::send_as(b, a, messages);
  auto t0 = std::chrono::steady_clock::now();
  std::size_t ran = sched.run();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  sched.run();
  return static_cast<double>(ran) / s;
}

std::string duration_text(const std::string& arg) {
  return arg.find_first_not_of("0123456789") == std::string::npos ? arg + "h" : arg;
}

} // namespace

int main(int argc, char** argv) {
  std::string duration = "24h";
  int backends = 100, tables = 10, buckets = 10'000;
  double period_s = 600;
  if (argc > 2 && std::string{argv[1]} == "--preset") {
    if (std::string{argv[2]} != "w1") {
      std::fprintf(stderr, "unknown preset '%s' (known: w1)\n", argv[2]);
      return 2;
    }
    tables = 100;
    buckets = 1000;
    period_s = 10;
    if (argc > 3)
      duration = duration_text(argv[3]);
  } else {
    if (argc > 1)
      duration = duration_text(argv[1]);
    backends = argc > 2 ? std::atoi(argv[2]) : backends;
    tables = argc > 3 ? std::atoi(argv[3]) : tables;
    buckets = argc > 4 ? std::atoi(argv[4]) : buckets;
    period_s = argc > 5 ? std::atof(argv[5]) : period_s;
  }
  double pp = ping_pong_rate(2'000'000);
  std::printf("CAF 0.17 ping-pong on the test coordinator: %.2f M messages/s\n", pp / 1e6);
  std::string text = R"({"name": "speed", "duration": ")" + duration + R"(", "check_every": "1h",
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
  double replicas = 3.0 * tables * buckets;
  double before = resident_bytes();
  std::printf("cluster: %d BEs, %d tablets x 3 replicas, one load per table every %.0f s, %s\n", backends,
              tables * buckets, period_s, duration.c_str());
  std::printf("resident before the cluster: %.0f MB\n", before / 1e6);
  scenarios::run_options opts;
  auto wall0 = std::chrono::steady_clock::now();
  opts.on_check = [&](scenarios::time_ms at) {
    double rss = resident_bytes();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::printf("  at %5.1f h (%6.1f s wall): resident %7.0f MB, %5.0f bytes per replica\n", static_cast<double>(at) / 3.6e6,
                wall, rss / 1e6, (rss - before) / replicas);
    std::fflush(stdout);
  };
  auto r = scenarios::run_scenario(*sc, opts);
  auto virtual_s = static_cast<double>(r.virtual_ms) / 1000.0;
  auto run_s = r.wall_seconds - r.setup_seconds;
  std::printf("virtual time: %.0f s in %.2f s wall = %.0fx real time (cluster build %.2f s of it)\n", virtual_s,
              r.wall_seconds, virtual_s / r.wall_seconds, r.setup_seconds);
  double rate = static_cast<double>(r.events) / run_s;
  std::printf("scheduler events: %llu = %.0f events/s once built (%.0fx real time); %.2fx the ping-pong rate\n",
              static_cast<unsigned long long>(r.events), rate, virtual_s / run_s, rate / pp);
  std::printf("trace events: %llu (compactions finished %llu), checks %s\n",
              static_cast<unsigned long long>(r.trace_events),
              static_cast<unsigned long long>(r.counts.count("compaction.finish") ? r.counts.at("compaction.finish") : 0),
              r.passed ? "all held" : "FAILED");
  return r.passed ? 0 : 1;
}
