#pragma once
//! Reads faults and durations from the scenario files' and the control
//! API's JSON into sim::fault_spec.

#include <optional>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "sim/core/fault_spec.hpp"

namespace compactsim::config {

/// "250ms", "90s", "5m", "2h", "1d", ISO "PT5M", or a number of milliseconds.
std::optional<sim::time_ms> parse_duration(const boost::json::value& v);
/// A duration that may be negative: "-30s", "+2m", -500.
std::optional<sim::time_ms> parse_signed_duration(const boost::json::value& v);

/// Reads a fault object; on error returns false with `error` naming `path`.
bool parse_fault(const boost::json::value& v, const std::string& path, sim::fault_spec& f, std::string& error);

/// Every fault kind with the node families it may target and the
/// parameters it reads (name, type, required, default, help): what the
/// dashboard builds its fault form from.
boost::json::array fault_vocabulary();

} // namespace compactsim::config
