// The Doris model alone, without actors: the FE's load rounds and every
// BE's producer and compaction completions driven from one event queue with
// the actors' timing, to tell the model's cost from CAF's. Prints the run
// time and, per replica, the rowsets and stale rowsets held and their heap
// bytes, and malloc's bytes in use.
// Usage: bench_doris_model [minutes=180] [BEs=10] [tables=100] [buckets=100] [load interval s=10]
// (the defaults are issue 12's W1 shape on a tenth of its BEs)

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include "sim/doris/backend.hpp"
#include "sim/doris/bootstrap.hpp"
#include "sim/doris/catalog.hpp"

namespace {

using namespace compactsim::sim;

enum class event_kind { tick, done, load };

struct event {
  time_ms at = 0;
  std::uint64_t seq = 0;      ///< ties in the order they were queued
  event_kind kind = event_kind::tick;
  std::size_t be = 0;
  std::uint64_t arg = 0;      ///< tick: generation; done: task id; load: table index
  bool operator>(const event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace

int main(int argc, char** argv) {
  auto arg = [&](int i, double fallback) { return argc > i ? std::atof(argv[i]) : fallback; };
  const auto minutes = static_cast<time_ms>(arg(1, 180));
  const auto backends = static_cast<int>(arg(2, 10));
  const auto tables = static_cast<int>(arg(3, 100));
  const auto buckets = static_cast<int>(arg(4, 100));
  const auto period = static_cast<time_ms>(arg(5, 10) * 1000);

  doris_config cfg;
  cfg.backends = backends;
  for (int t = 0; t < tables; ++t) {
    doris_table_config tc;
    tc.id = 40000 + t;
    tc.name = "t" + std::to_string(t);
    tc.buckets = buckets;
    tc.replication_num = 3;
    tc.initial_loads = 2;
    cfg.tables.push_back(tc);
    doris_workload_config w;
    w.table = tc.id;
    w.loads_per_second = 1000.0 / static_cast<double>(period);
    w.rows_per_load = buckets * 1000LL;
    cfg.workloads.push_back(w);
  }
  std::string error;
  auto cat = build_catalog(cfg, error);
  if (!cat) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  const time_ms epoch = 1'735'689'600'000;
  auto t0 = std::chrono::steady_clock::now();
  auto bes = build_backends(cfg, 1, *cat, epoch);
  auto t1 = std::chrono::steady_clock::now();

  // Which BEs hold each table, and each table's visible version.
  std::vector<std::vector<std::size_t>> holders(static_cast<std::size_t>(tables));
  std::vector<std::int64_t> versions = {};
  auto initial = initial_versions(*cat);
  for (int t = 0; t < tables; ++t) {
    versions.push_back(initial[40000 + t]);
    for (std::size_t b = 0; b < bes.size(); ++b)
      for (const auto& r : bes[b].replicas())
        if (r.table_id == 40000 + t) {
          holders[static_cast<std::size_t>(t)].push_back(b);
          break;
        }
  }

  std::priority_queue<event, std::vector<event>, std::greater<event>> queue;
  std::uint64_t seq = 0;
  std::vector<std::uint64_t> generation(bes.size(), 0);
  std::vector<bool> sleeping(bes.size(), false);
  const auto& k = cfg.knobs;
  for (std::size_t b = 0; b < bes.size(); ++b)
    queue.push({epoch + k.generate_compaction_tasks_interval_ms, seq++, event_kind::tick, b, 0});
  for (int t = 0; t < tables; ++t)
    queue.push({epoch + period, seq++, event_kind::load, 0, static_cast<std::uint64_t>(t)});
  auto schedule = [&](std::size_t b, const std::vector<started_task>& started) {
    for (const auto& s : started)
      queue.push({s.finish_at, seq++, event_kind::done, b, s.id});
  };

  const time_ms end = epoch + minutes * 60'000;
  std::uint64_t events = 0, compactions = 0;
  while (!queue.empty() && queue.top().at <= end) {
    auto e = queue.top();
    queue.pop();
    ++events;
    auto& be = bes[e.be];
    switch (e.kind) {
      case event_kind::tick: {
        if (e.arg != generation[e.be])
          break;
        auto round = be.produce(e.at);
        schedule(e.be, round.started);
        sleeping[e.be] = round.started.empty();
        queue.push({e.at + (sleeping[e.be] ? k.producer_idle_sleep_ms : k.generate_compaction_tasks_interval_ms), seq++,
                    event_kind::tick, e.be, generation[e.be]});
        break;
      }
      case event_kind::done: {
        std::vector<started_task> next;
        be.finish(e.arg, e.at, false, next);
        ++compactions;
        schedule(e.be, next);
        if (sleeping[e.be]) { // a finished task wakes a sleeping producer
          sleeping[e.be] = false;
          queue.push({e.at + k.generate_compaction_tasks_interval_ms, seq++, event_kind::tick, e.be, ++generation[e.be]});
        }
        break;
      }
      case event_kind::load: {
        auto t = static_cast<std::size_t>(e.arg);
        auto table = 40000 + static_cast<std::int64_t>(t);
        bool ok = true;
        for (auto b : holders[t]) {
          std::vector<started_task> forced;
          ok &= bes[b].prepare_load(table, e.at, forced).ok();
          schedule(b, forced);
        }
        if (ok) {
          auto spec = load_for(cfg, table, ++versions[t], buckets, 1);
          for (auto b : holders[t])
            bes[b].commit_load(table, spec, e.at);
        }
        queue.push({e.at + period, seq++, event_kind::load, 0, e.arg});
        break;
      }
    }
  }
  auto t2 = std::chrono::steady_clock::now();

  std::size_t replicas = 0, rowsets = 0, rowset_room = 0, stale = 0, stale_room = 0;
  for (const auto& b : bes)
    for (const auto& r : b.replicas()) {
      ++replicas;
      rowsets += r.rowsets.size();
      rowset_room += r.rowsets.capacity();
      stale += r.stale.size();
      stale_room += r.stale.capacity();
    }
  const auto n = static_cast<double>(replicas);
  const auto in_use = static_cast<double>(mallinfo2().uordblks);
  std::printf("%zu replicas on %d BEs, %lld virtual minutes: build %.2f s, run %.2f s (%.0fx real time)\n", replicas,
              backends, static_cast<long long>(minutes), seconds(t1 - t0), seconds(t2 - t1),
              static_cast<double>(minutes) * 60.0 / seconds(t2 - t1));
  std::printf("%llu events, %llu compactions finished\n", static_cast<unsigned long long>(events),
              static_cast<unsigned long long>(compactions));
  std::printf("per replica: %.1f rowsets (room for %.1f), %.1f stale rowsets (room for %.1f)\n",
              static_cast<double>(rowsets) / n, static_cast<double>(rowset_room) / n, static_cast<double>(stale) / n,
              static_cast<double>(stale_room) / n);
  std::printf("bytes per replica: struct %zu, rowsets %.0f, stale rowsets %.0f; malloc in use %.0f\n", sizeof(replica),
              static_cast<double>(rowset_room * sizeof(rowset)) / n,
              static_cast<double>(stale_room * sizeof(stale_rowset)) / n, in_use / n);
  return 0;
}
