#pragma once
//! Builds the initial state of every backend from the config and catalog:
//! tables, replicas, and the loads published before the run starts.

#include <cstdint>
#include <map>
#include <vector>

#include "sim/doris/backend.hpp"
#include "sim/doris/catalog.hpp"

namespace compactsim::sim {

/// The load a workload (or the default) publishes into each tablet.
/// The load that publishes `version` of the table: its workload's size,
/// varied within size_jitter by a hash of (seed, table, version), so every
/// node that asks for the same version gets the same load.
load_spec load_for(const doris_config& cfg, std::int64_t table_id, std::int64_t version, int buckets,
                   std::uint64_t seed);

/// Backends in index order, with `initial_loads` already published, spaced
/// one minute apart before `now`; `seed` is the cluster's.
std::vector<backend_model> build_backends(const doris_config& cfg, std::uint64_t seed, const catalog& cat, time_ms now);

/// Visible version of every table after its initial loads.
std::map<std::int64_t, std::int64_t> initial_versions(const catalog& cat);

} // namespace compactsim::sim
