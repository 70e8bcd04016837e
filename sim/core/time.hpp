#pragma once
//! The one unit of time in the model, shared by Doris, Druid and the
//! simulation machinery.

#include <cstdint>

namespace compactsim::sim {

/// Virtual or wall time in milliseconds since the Unix epoch.
using time_ms = std::int64_t;

} // namespace compactsim::sim
