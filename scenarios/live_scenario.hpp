#pragma once
//! A scenario applied to the live cluster (POST /sim/v1/scenario): the
//! cluster is reset to the scenario's (its workloads and Druid compaction
//! configs included), and its fault and heal steps go on the live timeline at
//! their times from now, in simulated time (so --speed shortens them). Its
//! http, wait and assert steps, invariants and liveness deadline belong to
//! the runner: they are reported as skipped, not run.

#include <string>

#include <boost/json/object.hpp>

#include "actors/live_control.hpp"
#include "http/http_faults.hpp"
#include "http/route_table.hpp"
#include "scenarios/scenario.hpp"

namespace compactsim::scenarios {

/// Sets a scenario's Druid compaction configs and slot limits on `c`.
/// Returns false with `error` for a config Druid would refuse.
bool apply_druid_setup(const scenario& sc, sim::druid::coordinator& c, time_ms now, std::string& error);

/// Applies `sc` to the live cluster; returns what was scheduled and skipped,
/// or false with `error` (the cluster cannot take the scenario's shape).
bool apply_live(const scenario& sc, actors::live_control& control, boost::json::object& out, std::string& error);

/// Registers POST /sim/v1/scenario on the control API's `routes`. Like a
/// reset, it clears the HTTP fault rules (`http_faults`, when given).
void add_scenario_route(http::route_table& routes, actors::live_control& control,
                        http::http_fault_table* http_faults = nullptr);

} // namespace compactsim::scenarios
