#pragma once
//! Small vocabulary types of the Doris model.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace compactsim::sim {

enum class keys_type : std::uint8_t { dup_keys, agg_keys, unique_keys };
enum class compaction_type : std::uint8_t { cumulative, base, full };
enum class tablet_state : std::uint8_t { running, notready };

std::string_view to_string(keys_type k);          ///< "DUP_KEYS", ...
std::string_view to_string(compaction_type t);    ///< "cumulative", ...
std::string_view to_string(tablet_state s);       ///< "RUNNING", ...
std::optional<keys_type> parse_keys_type(std::string_view s);
std::optional<compaction_type> parse_compaction_type(std::string_view s);

/// Index of a compaction type in per-type arrays.
constexpr std::size_t index(compaction_type t) { return static_cast<std::size_t>(t); }
constexpr std::size_t compaction_type_count = 3;

} // namespace compactsim::sim
