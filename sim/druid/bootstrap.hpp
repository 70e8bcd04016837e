#pragma once
//! Builds the Druid side of a cluster config: the overlord model with its
//! workers, datasource profiles and the segments present at start.

#include <cstdint>
#include <vector>

#include "sim/druid/cluster_config.hpp"
#include "sim/druid/overlord.hpp"

namespace compactsim::sim::druid {

/// The chunks a datasource starts with, relative to `epoch` for `recent` ones.
std::vector<interval> initial_chunks(const druid_datasource_config& d, time_ms epoch);

/// The overlord of `cfg` with every initial segment published; `seed` is
/// the cluster's, `epoch` its virtual time zero.
overlord build_overlord(const druid_cluster_config& cfg, std::uint64_t seed, time_ms epoch);

/// The columns a datasource's ingested segments carry.
segment_schema schema_of(const druid_datasource_config& d);

} // namespace compactsim::sim::druid
