#pragma once
//! doris_service over the actors: each call spawns a short-lived event-based
//! actor that asks the router for the backend, asks the backend, and hands
//! the answer (or the error) to the callback. Nothing ever blocks.

#include <chrono>
#include <mutex>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "actors/service.hpp"

namespace compactsim::actors {

class doris_cluster_service : public doris_service {
public:
  doris_cluster_service(caf::actor_system& sys, router_actor router, std::size_t backends, sim::api_profile profile,
                  std::chrono::milliseconds timeout = std::chrono::seconds{5});

  std::size_t backend_count() const override { return backends_; }
  /// Sends later calls to a new cluster's router (after a reset).
  void retarget(router_actor router);
  sim::api_profile profile() const override { return profile_; }

  void run_compaction(int be, std::int64_t tablet, sim::compaction_type type, callback<sim::status> cb) override;
  void run_table_full(int be, std::int64_t table, callback<sim::status> cb) override;
  void run_status(int be, std::int64_t tablet, callback<sim::run_status_view> cb) override;
  void registry(int be, callback<sim::registry_view> cb) override;
  void show(int be, std::int64_t tablet, callback<sim::tablet_snapshot> cb) override;
  void scores(int be, callback<std::vector<sim::score_entry>> cb) override;
  void tablets(int be, callback<std::vector<sim::tablet_brief>> cb) override;
  void knobs(int be, callback<sim::doris_knobs> cb) override;
  void update_config(int be, sim::config_updates updates, callback<std::vector<sim::status>> cb) override;
  void delete_bitmap(int be, std::int64_t tablet, callback<sim::delete_bitmap_view> cb) override;
  void on_backend(int be, backend_job job, callback<bool> cb) override;

private:
  template <class T, class... Ts>
  void ask(int be, callback<T> cb, Ts... xs);

  caf::actor_system& sys_;
  mutable std::mutex mutex_;   ///< guards router_ (retargeted while other threads call)
  router_actor router_;
  std::size_t backends_;
  sim::api_profile profile_;
  std::chrono::milliseconds timeout_;
};

} // namespace compactsim::actors
