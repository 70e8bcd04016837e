#pragma once
//! The druid_service of a running cluster: each call is one request, with
//! a timeout, from a short-lived actor to the coordinator or the overlord.

#include <chrono>
#include <mutex>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "actors/service.hpp"

namespace compactsim::actors {

class druid_cluster_service : public druid_service {
public:
  druid_cluster_service(caf::actor_system& sys, druid_coordinator_actor coordinator, druid_overlord_actor overlord,
                        std::chrono::milliseconds timeout = std::chrono::seconds{5});

  void compaction_config(callback<sim::druid::cluster_compaction_config> cb) override;
  void put_config(sim::druid::datasource_config c, sim::druid::audit_info who, callback<bool> cb) override;
  void remove_config(std::string data_source, sim::druid::audit_info who, callback<bool> cb) override;
  void set_slots(sim::druid::cluster_update u, sim::druid::audit_info who, callback<bool> cb) override;
  void config_history(sim::druid::history_query q, callback<std::vector<sim::druid::history_entry>> cb) override;
  void compaction_status(callback<sim::druid::compaction_status> cb) override;
  void timelines(callback<sim::druid::store_view> cb) override;
  void tasks(bool active_only, callback<sim::druid::task_board> cb) override;
  void task(std::string id, callback<sim::druid::task_lookup> cb) override;
  void submit(boost::json::value spec, callback<sim::druid::submission> cb) override;
  void shutdown(std::string id, callback<bool> cb) override;
  void locks(callback<std::vector<sim::druid::held_lock>> cb) override;
  void run_duty(callback<bool> done) override;
  void simulate(sim::druid::cluster_update request, callback<sim::druid::simulation> done) override;
  void supervise(sim::druid::compaction_supervisor_spec spec, callback<std::string> cb) override;
  void supervisors(callback<sim::druid::supervisor_board> cb) override;
  void command_supervisor(sim::druid::supervisor_command c, callback<sim::druid::supervisor_outcome> cb) override;
  void supervisor_history(std::string id, callback<std::vector<sim::druid::versioned_spec>> cb) override;
  void simulate_on_overlord(sim::druid::cluster_update request, callback<sim::druid::simulation> done) override;
  /// Sends later calls to a new cluster's coordinator and overlord (after a reset).
  void retarget(druid_coordinator_actor coordinator, druid_overlord_actor overlord);

private:
  druid_coordinator_actor coordinator();
  druid_overlord_actor overlord();
  template <class T, class Handle, class... Ts>
  void ask(const Handle& target, callback<T> done, Ts... xs);

  caf::actor_system& sys_;
  std::mutex mutex_;   ///< guards the two handles (retargeted while other threads call)
  druid_coordinator_actor coordinator_;
  druid_overlord_actor overlord_;
  std::chrono::milliseconds timeout_;
};

} // namespace compactsim::actors
