#pragma once
//! What the dashboard shows, as plain values gathered from every actor: the
//! nodes with their faults, each BE's highest scores and its top tablets, a
//! tablet's rowsets, each datasource's compaction progress and segment
//! timeline, the overlord's tasks and slots. JSON lives in http/control.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/doris/types.hpp"

namespace compactsim::actors {

/// One node and what is being done to it.
struct node_panel {
  std::string node;                 ///< "be:0", "fe", "coordinator", "overlord", "worker:1"
  std::string state = "up";         ///< up, crashed, paused, partitioned
  bool remote = false;              ///< a BE in a node process
  std::vector<std::string> faults;  ///< ids of the active faults that name it
  std::vector<std::string> kinds;   ///< their kinds, same order
};

struct backend_panel {
  std::size_t be = 0;
  std::int64_t backend_id = 0;
  bool up = false;                  ///< answered within the bound
  bool remote = false;
  std::int64_t replicas = 0;
  std::uint32_t max_cumulative_score = 0;
  std::uint32_t max_base_score = 0;
  std::int64_t max_version_count = 0;
  std::array<std::int64_t, sim::compaction_type_count> running{}; ///< by compaction_type
  std::int64_t queued = 0;          ///< full compactions waiting for a tablet's locks
  std::int64_t rejected_loads = 0;
};

struct tablet_panel {
  std::int64_t tablet_id = 0;
  std::int64_t table_id = 0;
  std::size_t be = 0;
  std::int64_t versions = 0;
  std::uint32_t cumulative_score = 0;
  std::uint32_t base_score = 0;
  std::int64_t duplicates = 0;
  std::uint8_t running = 0;         ///< sim::running_bit()s
};

struct datasource_panel {
  std::string name;
  std::int64_t segments = 0;
  std::int64_t bytes = 0;
  std::int64_t awaiting = 0;        ///< bytes, from the latest duty run
  std::int64_t compacted = 0;
  std::int64_t skipped = 0;
  bool has_status = false;          ///< the duty has reported on it
};

struct task_panel {
  std::string id;
  std::string data_source;
  std::string runner;               ///< waiting, pending, running
  sim::time_ms start = 0, end = 0;  ///< the interval it compacts
  int slots = 1;
  int worker = -1;
};

struct dashboard_snapshot {
  sim::time_ms now = 0;
  double speed = 1;
  std::uint64_t generation = 0;     ///< counts resets: a new cluster, a new history
  std::vector<node_panel> nodes;
  std::vector<backend_panel> backends;
  std::vector<tablet_panel> top;    ///< highest max(cumulative, base) score first
  std::int64_t tablets = 0;         ///< replicas on the BEs that answered
  bool druid = false;
  std::vector<datasource_panel> datasources;
  std::vector<task_panel> tasks;    ///< active ones
  int total_slots = 0, used_slots = 0;
  std::uint64_t duty_runs = 0;
};

/// One rowset of a tablet, as /api/compaction/show lists it.
struct rowset_panel {
  std::int32_t start = 0, end = 0;
  std::int64_t rows = 0, bytes = 0;
  std::uint16_t segments = 0;
  bool overlapping = false, is_delete = false;
  sim::time_ms created = 0;
  sim::time_ms stale_since = 0;     ///< stale rowsets only
};

struct tablet_detail {
  bool found = false;
  std::size_t be = 0;
  std::int64_t tablet_id = 0, table_id = 0;
  std::int64_t cumulative_point = 0;
  std::uint32_t cumulative_score = 0, base_score = 0;
  std::int64_t duplicates = 0;
  std::uint8_t running = 0;
  bool merge_on_write = false;
  std::string keys;                 ///< DUP_KEYS, UNIQUE_KEYS, AGG_KEYS
  std::vector<rowset_panel> rowsets;
  std::vector<rowset_panel> stale;
  std::array<std::string, sim::compaction_type_count> last_status; ///< Status::to_string per type
};

/// A time chunk of a datasource's timeline.
struct chunk_panel {
  sim::time_ms start = 0, end = 0;
  std::int64_t segments = 0, bytes = 0;
  bool compacted = false;           ///< every segment carries a compaction state
  sim::time_ms version = 0;         ///< the newest
};

struct lock_panel {
  std::string task_id;              ///< "" for streaming ingestion's lock
  sim::time_ms start = 0, end = 0;
  std::int64_t priority = 0;
};

struct datasource_detail {
  bool found = false;
  std::string name;
  std::vector<chunk_panel> chunks;  ///< by start; the newest `limit` when there are more
  std::int64_t total_chunks = 0;
  std::vector<lock_panel> locks;
  std::vector<task_panel> tasks;
};

} // namespace compactsim::actors
