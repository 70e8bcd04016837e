#include "actors/druid/cluster_service.hpp"

#include <caf/event_based_actor.hpp>

namespace compactsim::actors {

druid_cluster_service::druid_cluster_service(caf::actor_system& sys, druid_coordinator_actor coordinator,
                                             druid_overlord_actor overlord, std::chrono::milliseconds timeout)
  : sys_(sys), coordinator_(std::move(coordinator)), overlord_(std::move(overlord)), timeout_(timeout) {}

template <class T, class Handle, class... Ts>
void druid_cluster_service::ask(const Handle& target, callback<T> done, Ts... xs) {
  if (!target) {
    done(reply<T>{std::nullopt, "the Druid side of this cluster is disabled"});
    return;
  }
  // The target travels as a spawn argument (CAF 0.17: see doris_cluster_service).
  auto asker = [=, timeout = timeout_](caf::event_based_actor* self, const Handle& hdl) {
    self->request(hdl, timeout, xs...)
      .then([=](T value) { done(reply<T>{std::move(value), {}}); },
            [=](const caf::error& e) { done(reply<T>{std::nullopt, caf::to_string(e)}); });
  };
  sys_.spawn(asker, target);
}

druid_coordinator_actor druid_cluster_service::coordinator() {
  std::lock_guard<std::mutex> guard{mutex_};
  return coordinator_;
}

druid_overlord_actor druid_cluster_service::overlord() {
  std::lock_guard<std::mutex> guard{mutex_};
  return overlord_;
}

void druid_cluster_service::retarget(druid_coordinator_actor coordinator, druid_overlord_actor overlord) {
  std::lock_guard<std::mutex> guard{mutex_};
  coordinator_ = std::move(coordinator);
  overlord_ = std::move(overlord);
}

void druid_cluster_service::compaction_config(callback<sim::druid::cluster_compaction_config> cb) {
  ask<sim::druid::cluster_compaction_config>(coordinator(), std::move(cb), config_atom::value);
}

void druid_cluster_service::put_config(sim::druid::datasource_config c, sim::druid::audit_info who, callback<bool> cb) {
  ask<bool>(coordinator(), std::move(cb), config_put_atom::value, std::move(c), std::move(who));
}

void druid_cluster_service::remove_config(std::string data_source, sim::druid::audit_info who, callback<bool> cb) {
  ask<bool>(coordinator(), std::move(cb), config_rm_atom::value, std::move(data_source), std::move(who));
}

void druid_cluster_service::set_slots(sim::druid::cluster_update u, sim::druid::audit_info who, callback<bool> cb) {
  ask<bool>(coordinator(), std::move(cb), slots_atom::value, std::move(u), std::move(who));
}

void druid_cluster_service::config_history(sim::druid::history_query q,
                                           callback<std::vector<sim::druid::history_entry>> cb) {
  ask<std::vector<sim::druid::history_entry>>(coordinator(), std::move(cb), history_atom::value, std::move(q));
}

void druid_cluster_service::compaction_status(callback<sim::druid::compaction_status> cb) {
  ask<sim::druid::compaction_status>(coordinator(), std::move(cb), cstatus_atom::value);
}

void druid_cluster_service::timelines(callback<sim::druid::store_view> cb) {
  ask<sim::druid::store_view>(overlord(), std::move(cb), timelines_atom::value);
}

void druid_cluster_service::tasks(bool active_only, callback<sim::druid::task_board> cb) {
  ask<sim::druid::task_board>(overlord(), std::move(cb), tasks_atom::value, active_only);
}

void druid_cluster_service::task(std::string id, callback<sim::druid::task_lookup> cb) {
  ask<sim::druid::task_lookup>(overlord(), std::move(cb), task_atom::value, std::move(id));
}

void druid_cluster_service::submit(boost::json::value spec, callback<sim::druid::submission> cb) {
  ask<sim::druid::submission>(overlord(), std::move(cb), submit_atom::value, std::move(spec));
}

void druid_cluster_service::shutdown(std::string id, callback<bool> cb) {
  ask<bool>(overlord(), std::move(cb), shutdown_atom::value, std::move(id));
}

void druid_cluster_service::locks(callback<std::vector<sim::druid::held_lock>> cb) {
  ask<std::vector<sim::druid::held_lock>>(overlord(), std::move(cb), locks_atom::value);
}

void druid_cluster_service::run_duty(callback<bool> done) {
  ask<bool>(coordinator(), std::move(done), duty_atom::value);
}

void druid_cluster_service::simulate(sim::druid::cluster_update request, callback<sim::druid::simulation> done) {
  ask<sim::druid::simulation>(coordinator(), std::move(done), simulate_atom::value, std::move(request));
}

void druid_cluster_service::supervise(sim::druid::compaction_supervisor_spec spec, callback<std::string> cb) {
  ask<std::string>(overlord(), std::move(cb), supervise_atom::value, std::move(spec));
}

void druid_cluster_service::supervisors(callback<sim::druid::supervisor_board> cb) {
  ask<sim::druid::supervisor_board>(overlord(), std::move(cb), board_atom::value);
}

void druid_cluster_service::command_supervisor(sim::druid::supervisor_command c,
                                               callback<sim::druid::supervisor_outcome> cb) {
  ask<sim::druid::supervisor_outcome>(overlord(), std::move(cb), sup_cmd_atom::value, std::move(c));
}

void druid_cluster_service::supervisor_history(std::string id, callback<std::vector<sim::druid::versioned_spec>> cb) {
  ask<std::vector<sim::druid::versioned_spec>>(overlord(), std::move(cb), sup_history_atom::value, std::move(id));
}

void druid_cluster_service::simulate_on_overlord(sim::druid::cluster_update request,
                                                 callback<sim::druid::simulation> done) {
  ask<sim::druid::simulation>(overlord(), std::move(done), simulate_atom::value, std::move(request));
}

} // namespace compactsim::actors
