#include "sim/doris/catalog.hpp"

#include <algorithm>
#include <set>

namespace compactsim::sim {

const doris_table_config* catalog::table(std::int64_t id) const {
  for (const auto& t : tables)
    if (t.id == id)
      return &t;
  return nullptr;
}

std::vector<const tablet_placement*> catalog::tablets_of(std::int64_t table_id) const {
  std::vector<const tablet_placement*> out;
  for (const auto& t : tablets)
    if (t.table_id == table_id)
      out.push_back(&t);
  return out;
}

std::optional<catalog> build_catalog(const doris_config& cfg, std::string& error) {
  catalog cat;
  cat.tables = cfg.tables;
  std::sort(cat.tables.begin(), cat.tables.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (int i = 0; i < cfg.backends; ++i)
    cat.backend_ids.push_back(cfg.first_backend_id + i);

  std::set<std::int64_t> used;
  for (std::size_t i = 0; i < cat.tables.size(); ++i) {
    const auto& t = cat.tables[i];
    if (i > 0 && cat.tables[i - 1].id == t.id) {
      error = "doris.tables: table id " + std::to_string(t.id) + " appears twice";
      return std::nullopt;
    }
    if (t.replication_num > cfg.backends) {
      error = "doris.tables: table " + std::to_string(t.id) + " wants " + std::to_string(t.replication_num) +
              " replicas but the cluster has " + std::to_string(cfg.backends) + " backends";
      return std::nullopt;
    }
    if (static_cast<int>(t.tablet_ids.size()) > t.buckets) {
      error = "doris.tables: table " + std::to_string(t.id) + " lists more tablet_ids than buckets";
      return std::nullopt;
    }
    for (auto id : t.tablet_ids)
      if (!used.insert(id).second) {
        error = "doris.tables: tablet id " + std::to_string(id) + " appears twice";
        return std::nullopt;
      }
  }
  for (const auto& w : cfg.workloads)
    if (cat.table(w.table) == nullptr) {
      error = "doris.workloads: unknown table " + std::to_string(w.table);
      return std::nullopt;
    }

  std::int64_t next_id = cfg.first_tablet_id;
  std::size_t slot = 0; // spreads first replicas over the backends across tables
  for (const auto& t : cat.tables) {
    for (int bucket = 0; bucket < t.buckets; ++bucket, ++slot) {
      tablet_placement p;
      p.table_id = t.id;
      if (bucket < static_cast<int>(t.tablet_ids.size())) {
        p.tablet_id = t.tablet_ids[static_cast<std::size_t>(bucket)];
      } else {
        while (used.contains(next_id))
          ++next_id;
        p.tablet_id = next_id++;
        used.insert(p.tablet_id);
      }
      for (int r = 0; r < t.replication_num; ++r)
        p.backends.push_back(static_cast<int>((slot + static_cast<std::size_t>(r)) % static_cast<std::size_t>(cfg.backends)));
      std::sort(p.backends.begin(), p.backends.end());
      cat.tablets.push_back(std::move(p));
    }
  }
  return cat;
}

} // namespace compactsim::sim
