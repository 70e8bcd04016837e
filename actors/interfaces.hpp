#pragma once
//! The typed interfaces of the three actors.

#include <cstdint>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/metrics.hpp"

namespace compactsim::actors {

/// One Doris BE: owns its replicas, runs its producer and compaction workers.
using backend_actor = caf::typed_actor<
  caf::replies_to<run_atom, std::int64_t, std::uint8_t>::with<sim::status>,
  caf::replies_to<table_full_atom, std::int64_t>::with<sim::status>,
  caf::replies_to<run_status_atom, std::int64_t>::with<sim::run_status_view>,
  caf::replies_to<run_status_atom>::with<sim::registry_view>,
  caf::replies_to<show_atom, std::int64_t>::with<sim::tablet_snapshot>,
  caf::replies_to<score_atom>::with<std::vector<sim::score_entry>>,
  caf::replies_to<tablets_atom>::with<std::vector<sim::tablet_brief>>,
  caf::replies_to<knobs_atom>::with<sim::doris_knobs>,
  caf::replies_to<set_conf_atom, sim::config_updates>::with<std::vector<sim::status>>,
  caf::replies_to<bitmap_atom, std::int64_t>::with<sim::delete_bitmap_view>,
  /// Prepares one load of each table given (a table once per load), answering in the same order.
  caf::replies_to<load_prep_atom, std::vector<std::int64_t>>::with<std::vector<sim::status>>,
  /// Publishes a batch of loads in order (PublishVersionDaemon's AgentBatchTask); true: published or held.
  caf::replies_to<load_commit_atom, std::vector<sim::table_load>>::with<bool>,
  caf::reacts_to<pause_atom, bool>,
  caf::reacts_to<be_fault_atom, backend_fault>,
  caf::replies_to<corrupt_atom, std::int64_t, std::int64_t>::with<sim::status, std::int64_t>,
  caf::replies_to<stats_atom>::with<backend_stats>,
  caf::reacts_to<produce_atom, std::uint64_t>,
  caf::reacts_to<done_atom, std::uint64_t>,
  caf::reacts_to<waited_atom, std::uint64_t>,
  caf::replies_to<exec_atom, backend_job>::with<bool>>;

/// The FE-like coordinator: catalog, placement, membership and load workloads.
using fe_coordinator_actor = caf::typed_actor<
  caf::reacts_to<workload_atom, std::int64_t>, ///< the loads due by this simulated time
  caf::reacts_to<set_backend_atom, std::int32_t, backend_actor>,
  caf::reacts_to<deferred_atom, deferred_fn>,
  caf::reacts_to<catch_up_atom, std::int32_t>,
  caf::reacts_to<load_now_atom, std::int64_t, std::int32_t, bool>, ///< table, loads, DELETE
  caf::replies_to<stats_atom>::with<std::uint64_t, std::uint64_t>>; ///< loads published, loads rejected

/// Maps each HTTP listener (backend index) to its backend actor.
using router_actor = caf::typed_actor<
  caf::replies_to<backend_atom, std::int32_t>::with<backend_actor>,
  caf::reacts_to<set_backend_atom, std::int32_t, backend_actor>>;

/// A Druid MiddleManager: runs each task it is given in a peon for the task's
/// run time and answers with the task id when it is done. If the worker is
/// gone, the overlord's request fails and so does the task.
using druid_worker_actor = caf::typed_actor<
  caf::replies_to<peon_atom, std::string, std::int64_t>::with<std::string>,
  caf::reacts_to<task_done_atom, std::string>,
  caf::reacts_to<pause_atom, bool>>;

/// The Druid overlord: task queue, worker slots, locks and the segment metadata.
using druid_overlord_actor = caf::typed_actor<
  caf::replies_to<duty_view_atom>::with<sim::druid::duty_view>,
  caf::replies_to<timelines_atom>::with<sim::druid::store_view>,
  caf::replies_to<tasks_atom, bool>::with<sim::druid::task_board>, ///< true: the active tasks only
  caf::replies_to<task_atom, std::string>::with<sim::druid::task_lookup>,
  caf::replies_to<submit_atom, boost::json::value>::with<sim::druid::submission>,
  caf::replies_to<shutdown_atom, std::string>::with<bool>,
  caf::replies_to<locks_atom>::with<std::vector<sim::druid::held_lock>>,
  caf::replies_to<stats_atom>::with<druid_overlord_metrics>,
  caf::reacts_to<orders_atom, sim::druid::duty_orders>,
  caf::reacts_to<stream_atom, sim::druid::stream_batch>,
  caf::reacts_to<failure_atom, double>,
  caf::reacts_to<skew_atom, sim::time_ms>,
  caf::reacts_to<task_done_atom, std::string>,
  caf::reacts_to<ingest_atom, std::uint64_t>,
  caf::reacts_to<worker_atom, std::int32_t, druid_worker_actor>,
  // Druid 31's compaction supervisors and their scheduler.
  caf::replies_to<supervise_atom, sim::druid::compaction_supervisor_spec>::with<std::string>,
  caf::replies_to<board_atom>::with<sim::druid::supervisor_board>,
  caf::replies_to<sup_cmd_atom, sim::druid::supervisor_command>::with<sim::druid::supervisor_outcome>,
  caf::replies_to<sup_history_atom, std::string>::with<std::vector<sim::druid::versioned_spec>>,
  caf::replies_to<simulate_atom, sim::druid::cluster_update>::with<sim::druid::simulation>,
  caf::reacts_to<settings_atom, sim::druid::cluster_compaction_config>,
  caf::reacts_to<schedule_atom, std::uint64_t>,
  caf::reacts_to<deferred_atom, deferred_fn>>;

/// The Druid coordinator: compaction configs, their history, the CompactSegments duty.
using druid_coordinator_actor = caf::typed_actor<
  caf::replies_to<config_atom>::with<sim::druid::cluster_compaction_config>,
  caf::replies_to<config_put_atom, sim::druid::datasource_config, sim::druid::audit_info>::with<bool>,
  caf::replies_to<config_rm_atom, std::string, sim::druid::audit_info>::with<bool>,
  caf::replies_to<slots_atom, sim::druid::cluster_update, sim::druid::audit_info>::with<bool>,
  caf::replies_to<history_atom, sim::druid::history_query>::with<std::vector<sim::druid::history_entry>>,
  caf::replies_to<cstatus_atom>::with<sim::druid::compaction_status>,
  caf::reacts_to<skew_atom, sim::time_ms>,
  caf::replies_to<duty_atom>::with<bool>,
  caf::replies_to<simulate_atom, sim::druid::cluster_update>::with<sim::druid::simulation>,
  caf::reacts_to<tick_atom, std::uint64_t>,   ///< the duty's period elapsed (stale generations are ignored)
  caf::reacts_to<tick_atom>,                  ///< the clock's speed changed: reschedule the next run
  caf::reacts_to<deferred_atom, deferred_fn>>;

} // namespace compactsim::actors
