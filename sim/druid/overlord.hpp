#pragma once
//! The overlord as a pure model: the task queue of compaction tasks, the
//! workers' task slots, time-chunk locks, and publishing that overshadows.
//! It owns the segment metadata store. The actor calls step() after every
//! change and schedules finish() at each started task's finish time.
//!
//!   submit ──> RUNNING/WAITING ──lock──> RUNNING/PENDING ──slot──> RUNNING/RUNNING
//!                    │                                                   │
//!                    └── no segments: FAILED/NONE          finish: SUCCESS|FAILED/NONE

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "sim/druid/knobs.hpp"
#include "sim/druid/overlord_views.hpp"
#include "sim/druid/task.hpp"
#include "sim/druid/segments.hpp"
#include "sim/druid/duty.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/trace.hpp"

namespace compactsim::sim::druid {

/// How a datasource's rows respond to compaction (filters, rollup).
struct datasource_profile {
  std::map<std::string, std::int64_t> cardinality; ///< distinct values per dimension
  std::int64_t distinct_rows_per_query_period = 1000; ///< rows left after rollup per query-granularity period
};

/// A task that just started running: finish it at `finish_at`.
struct started {
  std::string id;
  time_ms finish_at = 0;
};

class overlord {
public:
  overlord(knobs k, std::vector<worker> workers, std::uint64_t seed);

  segment_store& store() { return store_; }
  const segment_store& store() const { return store_; }
  void set_profile(const std::string& ds, datasource_profile p) { profiles_[ds] = std::move(p); }

  /// POST /druid/indexer/v1/task. Returns the task id or Druid's error.
  std::variant<std::string, error> submit(const boost::json::value& spec, time_ms now);
  /// Moves waiting tasks to pending (locks) and pending to running (slots).
  std::vector<started> step(time_ms now);
  /// Completes a running task: publishes its segments, or fails it.
  void finish(const std::string& id, time_ms now);
  /// POST .../task/{id}/shutdown: an active task fails; others are untouched.
  void shutdown(const std::string& id, time_ms now, std::string reason = "Shutdown request from user");
  /// A worker vanished: its tasks fail with `message` and it takes no more.
  void worker_lost(int worker, time_ms now, const std::string& message);
  /// A lost worker is back with its configured capacity.
  void worker_back(int worker);
  /// Appends an ingested segment to the chunk of `span` (new partition).
  void ingest(const std::string& ds, interval span, std::int64_t rows, std::int64_t bytes,
              const segment_schema& schema, time_ms now);

  /// Each finishing task fails with this probability (an injected fault).
  double& task_failure_probability() { return task_failure_p_; }
  /// The overlord host's clock offset (a clock_skew fault); the actor adds it to its time.
  time_ms& clock_skew() { return clock_skew_; }
  /// Reports tasks, ingestion and publishing to `sink` (nullptr: off).
  void set_trace(trace_sink* sink) { trace_ = sink; }
  /// Rows the datasource holds by what was ingested and what tasks dropped
  /// (filters, rollup); the segments must always add up to it.
  std::int64_t expected_rows(const std::string& ds) const;
  /// Counts rows placed into the store directly (the bootstrap's segments).
  void count_ingested(const std::string& ds, std::int64_t rows) { ingested_rows_[ds] += rows; }

  const compact_task* find(const std::string& id) const;
  /// Tasks in submission order.
  std::vector<const compact_task*> tasks() const;
  std::vector<active_task> active_compaction_tasks() const;
  /// Every time-chunk lock held at `now`: compaction tasks' and, at
  /// priority 75, streaming ingestion's (TaskLockbox#getLockedIntervals).
  std::vector<held_lock> locks(time_ms now) const;
  const std::vector<worker>& workers() const { return workers_; }
  int total_capacity() const;
  int used_capacity() const;
  const knobs& settings() const { return knobs_; }

private:
  void fail(compact_task& t, time_ms now, std::string message);
  void release(compact_task& t);
  bool lock_free(const compact_task& t, time_ms now) const;
  bool start(compact_task& t, time_ms now);
  void publish(compact_task& t, time_ms now);
  void emit(time_ms now, std::string_view kind, std::initializer_list<trace_field> data);

  knobs knobs_;
  std::vector<worker> workers_;
  rng rng_;
  segment_store store_;
  std::map<std::string, compact_task> tasks_;
  std::map<std::string, datasource_profile> profiles_;
  std::uint64_t next_seq_ = 1;
  time_ms last_version_ = 0;
  double task_failure_p_ = 0;
  time_ms clock_skew_ = 0;
  trace_sink* trace_ = nullptr;
  std::map<std::string, std::int64_t> dropped_rows_; ///< by filters and rollup, per datasource
  std::map<std::string, std::int64_t> ingested_rows_;
  /// Streaming locks: datasource -> chunk -> held until.
  std::map<std::string, std::map<interval, time_ms>> stream_locks_;
};

/// {"id", "groupId", "type", "createdTime", ..., "errorMsg"}: TaskStatusPlus.
/// `listed`: as GET /druid/indexer/v1/tasks lists it (a pending or running
/// task carries its queueInsertionTime); else as /task/{id}/status shows it
/// (always DateTimes.EPOCH there: OverlordResource#getTaskStatus).


} // namespace compactsim::sim::druid
