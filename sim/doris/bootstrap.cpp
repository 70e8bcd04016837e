#include "sim/doris/bootstrap.hpp"

#include <cmath>

#include <algorithm>

namespace compactsim::sim {

namespace {
constexpr time_ms initial_load_spacing_ms = 60'000;
}

load_spec load_for(const doris_config& cfg, std::int64_t table_id, std::int64_t version, int buckets,
                   std::uint64_t seed) {
  load_spec spec;
  spec.version = version;
  doris_workload_config w; // defaults when the table has no workload
  for (const auto& candidate : cfg.workloads)
    if (candidate.table == table_id) {
      w = candidate;
      break;
    }
  auto rows = w.rows_per_load;
  if (w.size_jitter > 0) {
    // A keyed hash, not a stream: the same load has the same size whenever it is asked.
    auto h = derive(seed, seed_stream::load_size)
               .fork(static_cast<std::uint64_t>(table_id))
               .fork(static_cast<std::uint64_t>(version))
               .next();
    double u = static_cast<double>(h >> 11) * 0x1.0p-53; // [0, 1)
    rows = static_cast<std::int64_t>(std::llround(static_cast<double>(rows) * (1.0 + w.size_jitter * (2.0 * u - 1.0))));
  }
  spec.rows = rows / std::max(buckets, 1);
  spec.bytes_per_row = w.bytes_per_row;
  spec.segments = w.segments;
  spec.superseding_ratio = w.superseding_ratio;
  return spec;
}

std::vector<backend_model> build_backends(const doris_config& cfg, std::uint64_t seed, const catalog& cat, time_ms now) {
  std::vector<backend_model> backends;
  backends.reserve(cat.backend_ids.size());
  for (std::size_t i = 0; i < cat.backend_ids.size(); ++i)
    backends.emplace_back(cat.backend_ids[i], cfg.knobs, cfg.disks_per_backend,
                          derive(seed, seed_stream::backend).fork(static_cast<std::uint64_t>(cat.backend_ids[i])).next());
  for (const auto& t : cat.tables) {
    table_info info{t.id, t.name, t.keys, t.merge_on_write, t.disable_auto_compaction,
                    t.schema_hash.value_or(derive_schema_hash(t.id))};
    for (auto& be : backends)
      be.add_table(info);
  }
  time_ms start = now;
  for (const auto& t : cat.tables)
    start = std::min(start, now - static_cast<time_ms>(t.initial_loads + 1) * initial_load_spacing_ms);
  for (const auto& p : cat.tablets) {
    auto expected = static_cast<std::size_t>(1 + cat.table(p.table_id)->initial_loads);
    for (int b : p.backends)
      backends[static_cast<std::size_t>(b)].add_replica(p.tablet_id, p.table_id, start, expected);
  }
  for (const auto& t : cat.tables) {
    for (int i = 0; i < t.initial_loads; ++i) {
      auto when = now - static_cast<time_ms>(t.initial_loads - i) * initial_load_spacing_ms;
      auto spec = load_for(cfg, t.id, 2 + i, t.buckets, seed);
      for (auto& be : backends)
        be.commit_load(t.id, spec, when);
    }
  }
  return backends;
}

std::map<std::int64_t, std::int64_t> initial_versions(const catalog& cat) {
  std::map<std::int64_t, std::int64_t> versions;
  for (const auto& t : cat.tables)
    versions[t.id] = 1 + t.initial_loads;
  return versions;
}

} // namespace compactsim::sim
