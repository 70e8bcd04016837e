#pragma once
//! One Doris backend's storage engine, as a pure model: its replicas, the
//! compaction producer with per-disk slots, manual triggers, loads, and the
//! completion of compaction tasks. Time is passed in; nothing here waits.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/doris/compaction_policy.hpp"
#include "sim/doris/debug_points.hpp"
#include "sim/doris/replica.hpp"
#include "sim/doris/score_index.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/trace.hpp"

namespace compactsim::sim {

/// What the backend needs to know of a table.
struct table_info {
  std::int64_t id = 0;
  std::string name;
  keys_type keys = keys_type::dup_keys;
  bool merge_on_write = false;
  bool disable_auto_compaction = false;
  std::uint32_t schema_hash = 0;
};

/// One published load as each replica of a table receives it.
struct load_spec {
  std::int64_t version = 0;
  std::int64_t rows = 0;            ///< rows per tablet
  std::int64_t bytes_per_row = 100;
  std::uint32_t segments = 1;
  double superseding_ratio = 0;     ///< share of rows replacing existing keys
  bool is_delete = false;
};

/// A load of one table, as a publish batch carries it.
struct table_load {
  std::int64_t table = 0;
  load_spec load;
};

/// A compaction handed to a worker; it finishes at `finish_at`.
struct compaction_task {
  std::uint64_t id = 0;
  std::int64_t tablet_id = 0;
  std::uint32_t replica = 0;        ///< index into the backend's replicas
  compaction_type type = compaction_type::cumulative;
  bool manual = false;              ///< a tablet_id HTTP run: outside the slot registry
  compaction_pick pick;
  std::int64_t repair_duplicates = 0;
  time_ms started = 0;
  time_ms finish_at = 0;
};

/// A task that just started: the actor schedules its completion.
struct started_task {
  std::uint64_t id = 0;
  time_ms finish_at = 0;
};

/// Faults a backend is under (the scenario runner's and the live API's).
struct backend_faults {
  double slowdown = 1.0;          ///< slow disk: compactions take this many times longer
  double failure_probability = 0; ///< each compaction fails with this probability
  bool disk_full = false;         ///< loads and compactions fail with E-7
  time_ms clock_skew = 0;         ///< this BE's clock runs this far ahead (behind, if negative)
};

/// Result of one producer round.
struct producer_round {
  std::vector<started_task> started;
  bool idle = true;                  ///< no tablet was worth picking
};

class backend_model {
public:
  backend_model(std::int64_t backend_id, doris_knobs knobs, std::uint16_t disks, std::uint64_t seed);

  // -- catalog ---------------------------------------------------------------------------------
  void add_table(const table_info& t);
  /// Adds a replica holding [0-1]; ignored when the tablet is already here.
  /// `expected_rowsets` reserves room for the loads about to come.
  replica& add_replica(std::int64_t tablet_id, std::int64_t table_id, time_ms now, std::size_t expected_rowsets = 0);
  const replica* find(std::int64_t tablet_id) const;
  const std::vector<replica>& replicas() const { return replicas_; }
  const table_info* table(std::int64_t id) const;

  // -- compaction ------------------------------------------------------------------------------
  /// POST /api/compaction/run?tablet_id: prepares at once, runs outside the
  /// slots. A full compaction of a busy tablet waits for its locks: it is
  /// queued and `out.id` is 0.
  status run_compaction(std::int64_t tablet_id, compaction_type type, time_ms now, started_task& out);
  /// POST /api/compaction/run?table_id: full compaction of every local replica of the table.
  status run_table_full(std::int64_t table_id, time_ms now, std::vector<started_task>& out);
  /// One round of the automatic producer.
  producer_round produce(time_ms now);
  /// Completes a task; `fail` makes it fail as an injected error would.
  /// Tasks waiting behind it (a queued full compaction) are started into `next`.
  compaction_outcome finish(std::uint64_t task_id, time_ms now, bool fail, std::vector<started_task>& next);
  const compaction_task* task(std::uint64_t id) const;
  /// Status::to_string of the tablet's last `type` compaction: "[OK]", or
  /// the failure with its message ("[E-808]don't satisfy the base compaction policy. tablet=...").
  std::string last_status_text(const replica& r, compaction_type type) const;
  const std::map<std::uint64_t, compaction_task>& tasks() const { return tasks_; }
  /// Full compactions waiting for a tablet's locks or a base pool thread.
  std::size_t queued_full() const { return pending_full_.size(); }
  /// Releases spare vector capacity (after bootstrap: a million replicas).
  void shrink_to_fit();
  /// Drops every in-flight task (a crash): nothing they did is published.
  void abort_all_tasks();

  // -- loads and faults ------------------------------------------------------------------------
  /// Checks every local replica of the table can take one more version;
  /// forces a cumulative compaction near the limit (into `forced`).
  status prepare_load(std::int64_t table_id, time_ms now, std::vector<started_task>& forced);
  /// Publishes a load into every local replica of the table, in version
  /// order as Doris's publish does: a version already here is a duplicate
  /// and ignored; one past the next is held until those before it arrive.
  void commit_load(std::int64_t table_id, const load_spec& load, time_ms now);
  /// Versions received but waiting for an earlier one (all tables).
  std::size_t held_publishes() const;
  /// Makes up to `rows` superseded rows per MoW replica of the table visible again.
  status corrupt_delete_bitmap(std::int64_t table_id, std::int64_t rows, std::int64_t& corrupted);

  // -- faults and tracing -----------------------------------------------------------------------
  backend_faults& faults() { return faults_; }
  sim::debug_points& debug() { return debug_; }
  const backend_faults& faults() const { return faults_; }
  /// Reports compactions and loads to `sink` as node `name` (nullptr: off).
  void set_trace(trace_sink* sink, std::string name) {
    trace_ = sink;
    trace_name_ = std::move(name);
  }

  // -- knobs and identity ----------------------------------------------------------------------
  doris_knobs& knobs() { return knobs_; }
  const doris_knobs& knobs() const { return knobs_; }
  std::int64_t backend_id() const { return backend_id_; }
  std::uint16_t disks() const { return static_cast<std::uint16_t>(disks_.size()); }
  /// The two low words of Doris's RowsetId for this backend.
  std::pair<std::uint64_t, std::uint64_t> uid() const { return uid_; }
  /// Tasks in the submitted registry of a disk (auto and table_id runs).
  int executing(std::uint16_t disk) const { return disks_.at(disk).executing; }
  std::uint64_t rejected_loads() const { return rejected_loads_; }

private:
  struct disk_state {
    int executing = 0;               ///< registry tasks running on this disk
    int executing_base = 0;
    score_index cumulative;
    score_index base;
  };

  /// Refreshes replica `idx`'s scores and its place in the index;
  /// `appended`: only a load was added on top since the last refresh.
  void rescore(std::uint32_t idx, bool appended = false);
  bool can_generate(const disk_state& d, compaction_type type) const;
  void apply_pick_effects(replica& r, const compaction_pick& pick, time_ms now);
  bool base_pool_free() const;
  void start_pending_fulls(time_ms now, std::vector<started_task>& next);
  /// Picks and starts a full compaction of replica `idx` (into `out`), or
  /// records why it cannot.
  void start_full(std::uint32_t idx, bool manual, time_ms now, std::vector<started_task>& out);
  bool eligible(const replica& r, compaction_type type, time_ms now) const;
  /// `trigger` says what asked for it, in the trace: "auto" (the producer),
  /// "tablet_id" or "table_id" (an HTTP run), "load" (forced by a load near
  /// max_tablet_version_num).
  std::uint64_t start(std::uint32_t idx, compaction_type type, compaction_pick pick, bool manual, time_ms now,
                      std::string_view trigger);
  void record_failure(replica& r, compaction_type type, const status& st, time_ms now);
  std::vector<std::uint32_t>& table_replicas(std::int64_t table_id);
  void publish(const std::vector<std::uint32_t>& replicas, std::int64_t table_id, const load_spec& load, time_ms now);
  void emit(time_ms now, std::string_view kind, std::initializer_list<trace_field> data);
  /// A debug point that is enabled and, with its `percent`, fires now.
  bool debug_fires(const std::string& name, double default_percent, time_ms now);

  std::int64_t backend_id_;
  doris_knobs knobs_;
  rng rng_;
  std::pair<std::uint64_t, std::uint64_t> uid_;
  std::vector<replica> replicas_;
  std::map<std::int64_t, std::uint32_t> by_tablet_;
  std::map<std::int64_t, table_info> tables_;
  std::map<std::int64_t, std::vector<std::uint32_t>> by_table_;
  std::vector<disk_state> disks_;
  std::map<std::uint64_t, compaction_task> tasks_;
  /// Full compactions waiting for the tablet's locks (or, for table_id runs,
  /// a base pool thread), by replica; true for an HTTP tablet_id run.
  std::map<std::uint32_t, bool> pending_full_;
  /// The message of each tablet's last failed compaction, by (tablet, type).
  std::map<std::pair<std::int64_t, std::uint8_t>, std::string> last_messages_;
  int base_pool_running_ = 0;              ///< base and table_id full tasks in the base pool
  std::map<std::int64_t, std::map<std::int64_t, load_spec>> held_; ///< table -> version -> publish waiting for its predecessor
  std::uint64_t next_task_ = 1;
  std::uint32_t next_rowset_ = 1;
  std::uint32_t next_path_ = 1;
  int round_ = 0;
  std::uint64_t rejected_loads_ = 0;
  backend_faults faults_;
  sim::debug_points debug_;
  trace_sink* trace_ = nullptr;
  std::string trace_name_;
};

} // namespace compactsim::sim
