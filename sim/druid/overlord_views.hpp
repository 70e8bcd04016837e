#pragma once
//! What the overlord's callers read and send, as plain data: a task as its
//! status shows it, the task board, the segment timelines, a submission's
//! outcome, the coordinator's orders and a stream's segments. The actor
//! answers its typed requests with these; the HTTP layer renders them.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "sim/druid/duty.hpp"
#include "sim/druid/segments.hpp"
#include "sim/druid/task.hpp"

namespace compactsim::sim::druid {

class overlord;

/// A MiddleManager / Indexer with task slots.
struct worker {
  std::string host;
  int capacity = 4;
  int used = 0;
  int configured = -1; ///< capacity to come back with after a loss (-1: capacity)
};

/// A task as TaskStatusPlus shows it, detached from the overlord.
struct task_row {
  std::string id;
  std::string data_source;
  time_ms created = 0;
  time_ms queued = 0;                  ///< when it went to the runner (pending)
  task_state state = task_state::running;
  runner_state runner = runner_state::waiting;
  std::int64_t duration = -1;
  std::string error;                   ///< "" is null
  std::string host;                    ///< its worker's host:port while it runs or once it ran there; "" when none
  int port = -1;                       ///< its peon's port
  int worker = -1;
  interval span;
  int slots = 1;

  bool active() const { return state == task_state::running; }
};

task_row row_of(const compact_task& t, const std::vector<worker>& workers);

/// The overlord's tasks (all, or the active ones), in submission order,
/// with its workers and the locks held now.
struct task_board {
  time_ms now = 0;
  std::vector<task_row> tasks;
  std::vector<worker> workers;
  int total_capacity = 0;
  int used_capacity = 0;
  std::vector<held_lock> locks;
};

task_board board_of(const overlord& o, time_ms now, bool active_only);

/// One task by id: its row and the spec it was given (GET /task/{id}).
struct task_lookup {
  bool found = false;
  task_row row;
  boost::json::object payload;
};

/// Every datasource's timeline as the store holds it now (copy-on-write:
/// the overlord's later writes do not touch these).
struct store_view {
  time_ms now = 0;
  std::vector<std::shared_ptr<const timeline>> timelines; ///< by name, empty ones included

  /// The timeline of `ds` if it has used segments, else nullptr (a
  /// datasource without any is unknown to Druid's APIs).
  const timeline* find(const std::string& ds) const;
};

store_view view_of(const overlord& o, time_ms now);

/// POST /druid/indexer/v1/task's outcome: the task id or Druid's error.
struct submission {
  std::string id;
  std::optional<error> failure;
};

/// What a CompactSegments run asks of the overlord: shut these down, then
/// submit these, in order.
struct duty_orders {
  std::vector<std::string> cancellations;
  std::vector<boost::json::object> submissions;
};

/// Streamed segments into a datasource's current hour (the control API's
/// and a scenario's ingest).
struct stream_batch {
  std::string data_source;
  int segments = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};

/// TaskLockbox#getLockedIntervals: per datasource named in `min_priority`,
/// the intervals of the locks held at or above its priority, sorted (Druid's
/// order is a HashSet's). A datasource with none is left out.
std::map<std::string, std::vector<interval>> locked_intervals(const std::vector<held_lock>& locks,
                                                              const std::map<std::string, std::int64_t>& min_priority);

} // namespace compactsim::sim::druid
