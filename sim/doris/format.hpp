#pragma once
//! How a Doris BE prints its storage objects: rowset ids, sizes, times and
//! the rowset lines of /api/compaction/show.

#include <cstdint>
#include <string>
#include <utility>

#include "sim/doris/replica.hpp"

namespace compactsim::sim {

/// RowsetId::to_string for a version-2 id: 48 hex digits.
std::string rowset_id_string(std::uint64_t id, std::pair<std::uint64_t, std::uint64_t> uid);

/// PrettyPrinter for bytes: "0", "574.00 B", "14.79 MB".
std::string pretty_bytes(std::int64_t bytes);

/// ToStringFromUnixMillis: "YYYY-MM-DD HH:MM:SS.mmm" (UTC).
std::string format_millis(time_ms t);

/// Rowset::get_rowset_info_str: "[s-e] nsegs DATA|DELETE OVERLAPPING|NONOVERLAPPING id size".
std::string rowset_info(const rowset& rs, std::pair<std::uint64_t, std::uint64_t> uid);

/// A stale rowset's line in /api/compaction/show (Tablet::get_compaction_status):
/// "[s-e] nsegs id size", without the type and overlap columns.
std::string stale_rowset_info(const rowset& rs, std::pair<std::uint64_t, std::uint64_t> uid);

} // namespace compactsim::sim
