#pragma once
//! The jobs the Druid actors run on their models: the HTTP layer's reads and
//! writes and the coordinator's submissions. Local to one process.

#include <functional>
#include <string>

#include "sim/doris/backend.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/overlord.hpp"
#include "sim/druid/cluster_config.hpp"

namespace compactsim::actors {

/// Runs on the overlord's model at the current simulated time.
using overlord_job = std::function<void(sim::druid::overlord&, sim::time_ms)>;
/// Runs on a Doris backend's model (faults, the runner's probes).
using backend_job = std::function<void(sim::backend_model&, sim::time_ms)>;

/// Streams `segments` segments of `rows` rows and `bytes` bytes each into
/// the current hour of `data_source` (POST /sim/v1/ingest and the scenario
/// ingest step alike), with the datasource's configured columns (or the
/// wikipedia ones for a datasource the config does not name).
overlord_job streamed_segments(const sim::druid_cluster_config& cfg, std::string data_source, int segments,
                               std::int64_t rows, std::int64_t bytes);

} // namespace compactsim::actors
