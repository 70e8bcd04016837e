#pragma once
//! The cluster a run simulates: the Doris and Druid parts, the seed and the
//! epoch. Both `compactsim serve --config` and scenario files use it.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/time.hpp"
#include "sim/doris/config.hpp"
#include "sim/druid/cluster_config.hpp"

namespace compactsim::sim {

struct cluster_config {
  std::uint64_t seed = 1;
  time_ms epoch_ms = 1'735'689'600'000;       ///< 2025-01-01T00:00:00Z: virtual time zero
  doris_config doris;
  druid_cluster_config druid;
};

/// The cluster `compactsim serve` starts without --config.
cluster_config default_cluster();

} // namespace compactsim::sim
