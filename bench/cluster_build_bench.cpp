// Builds a cluster of 1,000,000 tablet replicas (100 BEs) with a few loads
// each and prints the build time and the resident bytes per replica.
// Usage: bench_cluster_build [replicas] [loads]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/cluster_config.hpp"
#include "sim/doris/bootstrap.hpp"

namespace {

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

} // namespace

int main(int argc, char** argv) {
  using namespace compactsim::sim;
  long replicas = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  int loads = argc > 2 ? std::atoi(argv[2]) : 8;
  cluster_config cfg;
  cfg.doris.backends = 100;
  doris_table_config t;
  t.id = 1;
  t.keys = keys_type::dup_keys;
  t.replication_num = 3;
  t.buckets = static_cast<int>(replicas / 3);
  t.initial_loads = loads;
  cfg.doris.tables = {t};
  cfg.doris.workloads = {{.table = 1, .loads_per_second = 1, .rows_per_load = 1000L * t.buckets}};

  auto rss0 = resident_bytes();
  auto t0 = std::chrono::steady_clock::now();
  std::string error;
  auto cat = build_catalog(cfg.doris, error);
  if (!cat) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto backends = build_backends(cfg.doris, cfg.seed, *cat, cfg.epoch_ms);
  auto t1 = std::chrono::steady_clock::now();
  auto rss1 = resident_bytes();
  long n = 0;
  for (const auto& be : backends)
    n += static_cast<long>(be.replicas().size());
  auto secs = std::chrono::duration<double>(t1 - t0).count();
  std::printf("replicas: %ld (%d rowsets each)\n", n, loads + 1);
  std::printf("build time: %.2f s (%.0f replicas/s)\n", secs, static_cast<double>(n) / secs);
  std::printf("resident bytes per replica: %.0f (catalog and backends, %.1f MiB in all)\n",
              static_cast<double>(rss1 - rss0) / static_cast<double>(n),
              static_cast<double>(rss1 - rss0) / (1024.0 * 1024.0));
  return 0;
}
