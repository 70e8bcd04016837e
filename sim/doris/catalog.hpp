#pragma once
//! The FE-side catalog: which tablets each table has and where their
//! replicas live. Built once from the config, deterministically.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/doris/config.hpp"

namespace compactsim::sim {

struct tablet_placement {
  std::int64_t tablet_id = 0;
  std::int64_t table_id = 0;
  std::vector<int> backends;   ///< backend indexes holding a replica
};

struct catalog {
  std::vector<doris_table_config> tables;          ///< as configured, ordered by id
  std::vector<tablet_placement> tablets;           ///< ordered by table, then bucket
  std::vector<std::int64_t> backend_ids;

  const doris_table_config* table(std::int64_t id) const;
  /// Tablets of one table, in bucket order.
  std::vector<const tablet_placement*> tablets_of(std::int64_t table_id) const;
};

/// Allocates tablet ids and places replicas round-robin over the backends.
/// Returns nullopt with `error` set when the config cannot be placed.
std::optional<catalog> build_catalog(const doris_config& cfg, std::string& error);

} // namespace compactsim::sim
