#pragma once
//! What the HTTP layer may ask of the simulated cluster. Every call is
//! asynchronous: it returns at once and completes through its callback
//! (exactly once, on an actor thread or inline on the test scheduler), so the
//! same handlers run behind Asio and on the deterministic scheduler.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "actors/dashboard.hpp"
#include "actors/metrics.hpp"
#include "sim/core/fault_spec.hpp"
#include "sim/cluster_config.hpp"
#include "sim/doris/be_config.hpp"
#include "sim/doris/status.hpp"
#include "sim/doris/views.hpp"

namespace compactsim::actors {

/// A value, or why the cluster could not answer (timeout, node down).
template <class T>
struct reply {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

template <class T>
using callback = std::function<void(reply<T>)>;

/// The Doris BE API's view of the cluster. `be` is a backend index.
class doris_service {
public:
  virtual ~doris_service() = default;
  virtual std::size_t backend_count() const = 0;
  virtual sim::api_profile profile() const = 0;

  virtual void run_compaction(int be, std::int64_t tablet, sim::compaction_type type, callback<sim::status> cb) = 0;
  virtual void run_table_full(int be, std::int64_t table, callback<sim::status> cb) = 0;
  virtual void run_status(int be, std::int64_t tablet, callback<sim::run_status_view> cb) = 0;
  virtual void registry(int be, callback<sim::registry_view> cb) = 0;
  virtual void show(int be, std::int64_t tablet, callback<sim::tablet_snapshot> cb) = 0;
  virtual void scores(int be, callback<std::vector<sim::score_entry>> cb) = 0;
  virtual void tablets(int be, callback<std::vector<sim::tablet_brief>> cb) = 0;
  /// The BE's live knobs (GET /api/show_config).
  virtual void knobs(int be, callback<sim::doris_knobs> cb) = 0;
  /// POST /api/update_config: one status per pair, in order.
  virtual void update_config(int be, sim::config_updates updates, callback<std::vector<sim::status>> cb) = 0;
  /// GET /api/delete_bitmap/count_local.
  virtual void delete_bitmap(int be, std::int64_t tablet, callback<sim::delete_bitmap_view> cb) = 0;
  /// Runs `job` on BE `be`'s model (debug points).
  virtual void on_backend(int be, backend_job job, callback<bool> cb) = 0;
};

/// The Druid router's view of the cluster. The coordinator answers typed
/// requests; jobs run on the overlord's model at the current simulated
/// time, in its order (`done` reports whether the job ran: a timeout or a
/// stopped actor does not).
class druid_service {
public:
  virtual ~druid_service() = default;
  /// The coordinator's compaction config: every datasource's and the slots.
  virtual void compaction_config(callback<sim::druid::cluster_compaction_config> cb) = 0;
  /// Adds or replaces a datasource's config (true when it changed).
  virtual void put_config(sim::druid::datasource_config c, sim::druid::audit_info who, callback<bool> cb) = 0;
  /// Removes a datasource's config (false when it had none).
  virtual void remove_config(std::string data_source, sim::druid::audit_info who, callback<bool> cb) = 0;
  virtual void set_slots(sim::druid::cluster_update u, sim::druid::audit_info who, callback<bool> cb) = 0;
  /// DataSourceCompactionConfigHistory's entries for the query.
  virtual void config_history(sim::druid::history_query q, callback<std::vector<sim::druid::history_entry>> cb) = 0;
  /// The latest CompactSegments status.
  virtual void compaction_status(callback<sim::druid::compaction_status> cb) = 0;
  /// Every datasource's segment timeline, and the overlord's time.
  virtual void timelines(callback<sim::druid::store_view> cb) = 0;
  /// The overlord's tasks (`active_only`: waiting, pending or running ones),
  /// workers and locks.
  virtual void tasks(bool active_only, callback<sim::druid::task_board> cb) = 0;
  virtual void task(std::string id, callback<sim::druid::task_lookup> cb) = 0;
  /// POST /druid/indexer/v1/task: a task spec, as JSON.
  virtual void submit(boost::json::value spec, callback<sim::druid::submission> cb) = 0;
  /// POST /druid/indexer/v1/task/{id}/shutdown: an active task fails; others are untouched.
  virtual void shutdown(std::string id, callback<bool> cb) = 0;
  /// The time-chunk locks held now, streaming ingestion's included.
  virtual void locks(callback<std::vector<sim::druid::held_lock>> cb) = 0;
  /// POST /druid/coordinator/v1/compaction/compact: one duty run, now.
  virtual void run_duty(callback<bool> done) = 0;
  /// POST /druid/coordinator/v1/compaction/simulate (Druid 31): what a duty
  /// run would do now with unlimited slots; nothing is submitted. The
  /// request is a ClusterCompactionConfig: its policy, when given, replaces
  /// the stored one (its slot settings are overridden).
  virtual void simulate(sim::druid::cluster_update request, callback<sim::druid::simulation> done) = 0;

  // Druid 31's compaction supervisors, on the overlord.
  /// POST /druid/indexer/v1/supervisor with an autocompact spec: its id.
  virtual void supervise(sim::druid::compaction_supervisor_spec spec, callback<std::string> cb) = 0;
  /// Every supervisor, and the scheduler's state and latest status.
  virtual void supervisors(callback<sim::druid::supervisor_board> cb) = 0;
  /// suspend, resume, terminate (one id, or all with "").
  virtual void command_supervisor(sim::druid::supervisor_command c, callback<sim::druid::supervisor_outcome> cb) = 0;
  /// The spec history: one id's, or every id's with "".
  virtual void supervisor_history(std::string id, callback<std::vector<sim::druid::versioned_spec>> cb) = 0;
  /// POST /druid/indexer/v1/compaction/simulate: the scheduler's simulation.
  virtual void simulate_on_overlord(sim::druid::cluster_update request, callback<sim::druid::simulation> done) = 0;
};

/// A fault as the control API shows it.
struct fault_view {
  sim::fault_spec spec;
  std::vector<std::string> nodes;
  std::optional<sim::time_ms> heal_at;
  std::vector<std::vector<std::string>> groups; ///< a partition's resolved groups
};

/// GET /sim/v1/state's content, gathered from every actor; the control API
/// writes it as JSON.
struct cluster_state {
  struct backend {
    std::size_t be = 0;
    std::int64_t backend_id = 0;
    bool up = false;
    bool remote = false;                   ///< hosted by a node process
    std::int64_t replicas = 0;
    std::optional<std::int64_t> running_compactions; ///< known for BEs in this process
    std::int64_t max_version_count = 0;
    std::uint32_t max_cumulative_score = 0;
    std::uint32_t max_base_score = 0;
    std::uint64_t rejected_loads = 0;
  };
  struct datasource {
    std::string name;
    std::size_t segments = 0;
    std::int64_t bytes = 0;
    std::optional<sim::time_ms> latest;
  };
  sim::time_ms now = 0;
  double speed = 1;
  std::vector<backend> backends;
  std::size_t tablets_total = 0;           ///< replicas on every BE in this process
  std::size_t offset = 0, limit = 0;
  std::vector<tablet_panel> tablets;       ///< the page asked for, by (tablet id, BE)
  std::vector<datasource> datasources;
  std::vector<sim::druid::task_row> tasks;       ///< the active ones
  std::vector<fault_view> faults;
};

/// Readiness of one node: answered within the bound or not.
struct node_health {
  std::string node;     ///< the fault targets' names: "be:0", "fe", "coordinator", "overlord"
  bool ready = false;
  std::string reason;   ///< why not
};

/// The live control API's view of the cluster: faults at runtime (the
/// scenario runner's vocabulary and implementation), readiness and metrics.
class control_service {
public:
  virtual ~control_service() = default;
  /// Every node, asked with a bound; completes once all answered or timed out.
  virtual void health(callback<std::vector<node_health>> cb) = 0;
  virtual fault_view inject(sim::fault_spec f) = 0;
  /// How many nodes of each family the current cluster has (fault targets).
  virtual sim::node_counts nodes() const = 0;
  virtual std::vector<fault_view> faults() const = 0;
  virtual bool heal(const std::string& id) = 0;
  virtual std::vector<std::string> heal_all() = 0;
  /// Every actor's figures (what /metrics renders).
  virtual void metrics(callback<cluster_metrics> cb) = 0;
  /// The cluster's state: nodes, tablets (`limit` from `offset`, by tablet
  /// id), datasources, active tasks and faults.
  virtual void state(std::size_t offset, std::size_t limit, callback<cluster_state> cb) = 0;
  /// What the dashboard shows: nodes and faults, each BE's summary, the
  /// `top_n` tablets by score, datasources' progress and active tasks.
  virtual void dashboard(std::size_t top_n, callback<dashboard_snapshot> cb) = 0;
  /// One tablet's rowsets on BE `be` (found = false when it has no such tablet).
  virtual void tablet(std::size_t be, std::int64_t tablet_id, callback<tablet_detail> cb) = 0;
  /// A datasource's time chunks (the newest `limit`), locks and active tasks.
  virtual void datasource(const std::string& name, std::size_t limit, callback<datasource_detail> cb) = 0;
  /// Publishes `count` loads (DELETEs: delete-predicate rowsets) into a
  /// Doris table now, each through prepare and publish as any load (so -235
  /// rejects them too); false for an unknown table.
  virtual bool ingest_doris(std::int64_t table, int count, bool is_delete) = 0;
  /// Appends `segments` streaming segments to a Druid datasource's current hour.
  virtual bool ingest_druid(const std::string& data_source, int segments, std::int64_t rows, std::int64_t bytes) = 0;
  /// Simulated time now, and how many times faster than the wall clock it runs.
  virtual sim::time_ms now() const = 0;
  virtual double speed() const = 0;
  /// From now on simulated time runs `speed` times as fast; periodic work is rescheduled.
  virtual void set_speed(double speed) = 0;
  /// Replaces the whole cluster with a fresh one built from `config` (nullopt:
  /// the one it started with), without a restart: faults are gone, simulated
  /// time goes on from now at the same speed. False with `error` when the
  /// config cannot be served by this process's listeners.
  virtual bool reset(const std::optional<sim::cluster_config>& config, std::string& error) = 0;
};

} // namespace compactsim::actors
