#pragma once
//! What the two halves of backend_model share: backend.cpp (catalog and
//! compaction) and backend_loads.cpp (loads and publishes) both ask whether
//! a replica's compaction locks are taken. Not a public API.

#include <cstdint>

#include "sim/doris/replica.hpp"

namespace compactsim::sim::detail {

inline constexpr std::uint8_t full_bit = running_bit(compaction_type::full);

/// Running compactions that hold the lock a new compaction of `type` needs.
inline bool lock_busy(const replica& r, compaction_type type) {
  if (type == compaction_type::full)
    return r.running != 0;
  return (r.running & (running_bit(type) | full_bit)) != 0;
}

} // namespace compactsim::sim::detail
