#pragma once
//! Every atom and message type the actors exchange, declared once.
//! Types that cross processes get a CAF 0.17 `inspect`; read-only views that
//! only travel from a backend to its own process's HTTP layer are whitelisted
//! as local-only.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include <caf/error.hpp>

#include "sim/core/fault_spec.hpp"
#include "sim/doris/backend.hpp"
#include "sim/doris/be_config.hpp"
#include "sim/doris/status.hpp"
#include "sim/doris/views.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/overlord_views.hpp"
#include "sim/druid/supervisors.hpp"

namespace compactsim::actors {

/// A continuation an actor runs on itself later (a late network message).
using deferred_fn = std::function<void()>;
/// Runs on a Doris backend's model (faults, the runner's probes, the
/// dashboard's summaries). Local to one process.
using backend_job = std::function<void(sim::backend_model&, sim::time_ms)>;

// Atoms: at most 10 characters in CAF 0.17.
using run_atom = caf::atom_constant<caf::atom("run")>;            ///< manual tablet compaction
using table_full_atom = caf::atom_constant<caf::atom("tablefull")>; ///< table_id full compaction
using run_status_atom = caf::atom_constant<caf::atom("runstatus")>;
using show_atom = caf::atom_constant<caf::atom("show")>;
using score_atom = caf::atom_constant<caf::atom("score")>;
using tablets_atom = caf::atom_constant<caf::atom("tablets")>;
using load_prep_atom = caf::atom_constant<caf::atom("loadprep")>;
using load_commit_atom = caf::atom_constant<caf::atom("loadcommit")>;
using corrupt_atom = caf::atom_constant<caf::atom("corrupt")>;
using produce_atom = caf::atom_constant<caf::atom("produce")>;  ///< producer tick
using done_atom = caf::atom_constant<caf::atom("done")>;        ///< a compaction finished
using waited_atom = caf::atom_constant<caf::atom("waited")>;    ///< manual-run wait elapsed
using workload_atom = caf::atom_constant<caf::atom("workload")>;///< a load is due
using backend_atom = caf::atom_constant<caf::atom("backend")>;  ///< look up a backend
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using exec_atom = caf::atom_constant<caf::atom("exec")>;        ///< run a job on a backend's model
using duty_view_atom = caf::atom_constant<caf::atom("dutyview")>;///< what a duty run reads
using duty_atom = caf::atom_constant<caf::atom("duty")>;        ///< run CompactSegments now
using simulate_atom = caf::atom_constant<caf::atom("simulate")>;///< what a duty run would do (Druid 31)
// Druid 31's compaction supervisors, on the overlord.
using supervise_atom = caf::atom_constant<caf::atom("supervise")>;  ///< create or update an autocompact supervisor
using board_atom = caf::atom_constant<caf::atom("supboard")>;       ///< every supervisor and the scheduler's status
using sup_cmd_atom = caf::atom_constant<caf::atom("supcmd")>;       ///< suspend, resume or terminate
using sup_history_atom = caf::atom_constant<caf::atom("suphist")>;  ///< the supervisor spec history
using settings_atom = caf::atom_constant<caf::atom("settings")>;    ///< the cluster compaction settings changed
using schedule_atom = caf::atom_constant<caf::atom("schedule")>;    ///< the compaction scheduler's period elapsed
// The Druid coordinator's typed interface (its config store and status).
using config_atom = caf::atom_constant<caf::atom("config")>;    ///< the cluster compaction config
using config_put_atom = caf::atom_constant<caf::atom("configput")>; ///< add or replace a datasource's config
using config_rm_atom = caf::atom_constant<caf::atom("configrm")>;   ///< remove a datasource's config
using slots_atom = caf::atom_constant<caf::atom("slots")>;      ///< change the slot settings
using history_atom = caf::atom_constant<caf::atom("history")>;  ///< a datasource's config history
using cstatus_atom = caf::atom_constant<caf::atom("cstatus")>;  ///< the latest duty status
using skew_atom = caf::atom_constant<caf::atom("skew")>;        ///< the host clock's offset (clock_skew)
// The Druid overlord's typed interface.
using timelines_atom = caf::atom_constant<caf::atom("timelines")>;///< every datasource's timeline
using tasks_atom = caf::atom_constant<caf::atom("tasks")>;      ///< the task board
using task_atom = caf::atom_constant<caf::atom("task")>;        ///< one task by id
using submit_atom = caf::atom_constant<caf::atom("submit")>;    ///< POST /task
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;///< POST /task/{id}/shutdown
using locks_atom = caf::atom_constant<caf::atom("locks")>;      ///< the locks held now
using orders_atom = caf::atom_constant<caf::atom("orders")>;    ///< a duty run's cancellations and submissions
using stream_atom = caf::atom_constant<caf::atom("stream")>;    ///< streamed segments into the current hour
using failure_atom = caf::atom_constant<caf::atom("failrate")>; ///< the task failure probability (task_failure)
using tick_atom = caf::atom_constant<caf::atom("tick")>;        ///< the duty's period elapsed
using task_done_atom = caf::atom_constant<caf::atom("taskdone")>;///< a Druid task's run time elapsed
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;    ///< a streaming segment is due
using peon_atom = caf::atom_constant<caf::atom("peon")>;        ///< run a task on a worker
using set_backend_atom = caf::atom_constant<caf::atom("setbe")>;///< a restarted BE's new handle
using worker_atom = caf::atom_constant<caf::atom("worker")>;    ///< a restarted worker's new handle
using pause_atom = caf::atom_constant<caf::atom("pause")>;      ///< stop or resume taking messages
using deferred_atom = caf::atom_constant<caf::atom("deferred")>;///< a delayed continuation is due
using be_fault_atom = caf::atom_constant<caf::atom("befault")>; ///< set or clear a fault in a BE's model
using catch_up_atom = caf::atom_constant<caf::atom("catchup")>; ///< re-publish every version to a BE
using join_atom = caf::atom_constant<caf::atom("join")>;        ///< a node process asks for backends
using attach_atom = caf::atom_constant<caf::atom("attach")>;    ///< a node's BE is up
using respawn_atom = caf::atom_constant<caf::atom("respawn")>;  ///< start a node's crashed BE again
using load_now_atom = caf::atom_constant<caf::atom("loadnow")>; ///< publish loads into a table now
using knobs_atom = caf::atom_constant<caf::atom("knobs")>;      ///< a BE's live config (show_config)
using set_conf_atom = caf::atom_constant<caf::atom("setconf")>; ///< update_config: name=value pairs
using bitmap_atom = caf::atom_constant<caf::atom("bitmap")>;    ///< a tablet's local delete bitmap


/// Counters a backend reports (tests, metrics, the runner's summary).
struct backend_stats {
  std::uint64_t started = 0;
  std::uint64_t finished = 0;
  std::uint64_t failed = 0;
  std::uint64_t rejected_loads = 0;
  std::uint64_t loads = 0;
  std::int64_t replicas = 0;
  std::int64_t max_version_count = 0;
  std::uint32_t max_cumulative_score = 0;
  std::uint32_t max_base_score = 0;
};

/// A fault a BE's model applies itself (is_backend_state kinds, and the
/// one-off corrupt_delete_bitmap): typed, and plain enough to cross to a
/// BE in another process.
struct backend_fault {
  sim::fault_kind kind = sim::fault_kind::slow_disk;
  bool on = false;
  double factor = 1;          ///< slow_disk
  double probability = 0;     ///< compaction_failure
  sim::time_ms skew = 0;      ///< clock_skew
  std::int64_t table = 0;     ///< corrupt_delete_bitmap
  std::int64_t rows = 0;      ///< corrupt_delete_bitmap
};

inline backend_fault backend_fault_of(const sim::fault_spec& f, bool on) {
  backend_fault b{f.kind(), on};
  if (const auto* p = f.as<sim::faults::slow_disk>())
    b.factor = p->factor;
  else if (const auto* p = f.as<sim::faults::compaction_failure>())
    b.probability = p->probability;
  else if (const auto* p = f.as<sim::faults::clock_skew>())
    b.skew = p->skew;
  else if (const auto* p = f.as<sim::faults::corrupt_delete_bitmap>()) {
    b.table = p->table;
    b.rows = p->rows;
  }
  return b;
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backend_fault& x) {
  auto kind = static_cast<std::uint8_t>(x.kind);
  auto restore = caf::meta::load_callback([&]() -> caf::error {
    x.kind = static_cast<sim::fault_kind>(kind);
    return caf::none;
  });
  return f(caf::meta::type_name("backend_fault"), kind, x.on, x.factor, x.probability, x.skew, x.table, x.rows,
           restore);
}

/// A BE that answered with its stats, as a view of the cluster holds it (the
/// dashboard's backend_panel, /sim/v1/state's backend): up, and the figures
/// the stats carry. A BE in a node process is known only by these.
template <class Summary>
void take_stats(Summary& b, const backend_stats& s) {
  b.up = true;
  b.replicas = s.replicas;
  b.max_version_count = s.max_version_count;
  b.max_cumulative_score = s.max_cumulative_score;
  b.max_base_score = s.max_base_score;
  b.rejected_loads = static_cast<decltype(b.rejected_loads)>(s.rejected_loads);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backend_stats& x) {
  return f(caf::meta::type_name("backend_stats"), x.started, x.finished, x.failed, x.rejected_loads, x.loads,
           x.replicas, x.max_version_count, x.max_cumulative_score, x.max_base_score);
}

} // namespace compactsim::actors

namespace compactsim::sim {

/// errc travels as its underlying integer.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, status& x) {
  auto code = static_cast<std::int16_t>(x.code);
  auto restore = caf::meta::load_callback([&]() -> caf::error {
    x.code = static_cast<errc>(code);
    return caf::none;
  });
  return f(caf::meta::type_name("status"), code, x.msg, restore);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, load_spec& x) {
  return f(caf::meta::type_name("load_spec"), x.version, x.rows, x.bytes_per_row, x.segments,
           x.superseding_ratio, x.is_delete);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, table_load& x) {
  return f(caf::meta::type_name("table_load"), x.table, x.load);
}

} // namespace compactsim::sim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::actors::deferred_fn)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::actors::backend_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::duty_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::simulation)
// The coordinator's messages: local to serve's process (the coordinator
// never runs in a node), so they are not serialized.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::cluster_compaction_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::datasource_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::audit_info)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::cluster_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::history_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::compaction_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<compactsim::sim::druid::history_entry>)
// The overlord's messages: local to serve's process too.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::store_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::task_board)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::task_lookup)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::submission)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::duty_orders)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::stream_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<compactsim::sim::druid::held_lock>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(boost::json::value)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::compaction_supervisor_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::supervisor_board)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::supervisor_command)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::druid::supervisor_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<compactsim::sim::druid::versioned_spec>)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::run_status_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::registry_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::tablet_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<compactsim::sim::score_entry>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<compactsim::sim::tablet_brief>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::doris_knobs)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::config_updates)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(compactsim::sim::delete_bitmap_view)
