#pragma once
//! Read-only answers a backend gives about its state: what the HTTP layer
//! serializes. Plain copies, so they can leave the actor that owns the model.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/doris/replica.hpp"

namespace compactsim::sim {

/// GET /api/compaction/run_status?tablet_id=N
struct run_status_view {
  bool found = false;
  bool running = false;
  std::string compact_type;        ///< "", "base", "cumulative" or "full"
  std::int64_t tablet_id = 0;
  std::uint32_t schema_hash = 0;
};

/// GET /api/compaction/run_status (no tablet): the submitted-task registry.
struct registry_view {
  std::string data_dir;            ///< one path per disk: "<root>/disk<i>"
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> by_type; ///< type -> tablets
};

/// GET /api/compaction/show?tablet_id=N
struct tablet_snapshot {
  bool found = false;
  replica data;
  std::pair<std::uint64_t, std::uint64_t> uid;
  time_ms clock_skew = 0;          ///< the BE host's clock offset: added to the times it prints
  std::array<std::string, compaction_type_count> last_status; ///< Status::to_string per type
};

/// One line of GET /api/compaction_score.
struct score_entry {
  std::int64_t tablet_id = 0;
  std::uint32_t score = 0;
};

/// GET /api/delete_bitmap/count_local?tablet_id=N: a merge-on-write
/// tablet's local delete bitmap, one entry per marked rowset (visible or
/// stale, until the sweep drops it).
struct delete_bitmap_view {
  bool found = false;
  std::int64_t count = 0;        ///< (rowset, segment, version) entries
  std::int64_t cardinality = 0;  ///< rows marked deleted
  std::int64_t size = 0;         ///< bytes of the serialized bitmaps
};

/// The delete bitmap of `r` as Doris's DeleteBitmapAction counts it.
delete_bitmap_view delete_bitmap_of(const replica& r);

/// One tablet of GET /tablets_json.
struct tablet_brief {
  std::int64_t tablet_id = 0;
  std::uint32_t schema_hash = 0;
};

} // namespace compactsim::sim
