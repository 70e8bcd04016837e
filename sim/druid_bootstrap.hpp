#pragma once
//! Builds the Druid side of a cluster config: the overlord model with its
//! workers, datasource profiles and the segments present at start.

#include "sim/cluster_config.hpp"
#include "sim/druid_overlord.hpp"

namespace compactsim::sim::druid {

/// The chunks a datasource starts with, relative to `epoch` for `recent` ones.
std::vector<interval> initial_chunks(const druid_datasource_config& d, time_ms epoch);

/// The overlord of `cfg.druid` with every initial segment published.
overlord build_overlord(const cluster_config& cfg);

/// The columns a datasource's ingested segments carry.
segment_schema schema_of(const druid_datasource_config& d);

} // namespace compactsim::sim::druid
