#pragma once
//! The jobs the Druid actors run on their models: the HTTP layer's reads and
//! writes and the coordinator's submissions. Local to one process.

#include <functional>

#include "sim/doris/backend.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/overlord.hpp"

namespace compactsim::actors {

/// Runs on the overlord's model at the current simulated time.
using overlord_job = std::function<void(sim::druid::overlord&, sim::time_ms)>;
/// Runs on a Doris backend's model (faults, the runner's probes).
using backend_job = std::function<void(sim::backend_model&, sim::time_ms)>;
/// Runs on the coordinator's config and status.
using coordinator_job = std::function<void(sim::druid::coordinator&, sim::time_ms)>;

} // namespace compactsim::actors
