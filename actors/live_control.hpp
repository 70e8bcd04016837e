#pragma once
//! The control service of a running cluster: faults through the shared
//! fault_injector (guarded by a mutex: the API may call from any thread),
//! their timed heals on the actor clock, readiness probes with a bound, and
//! the Prometheus metrics gathered from every actor.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <caf/actor_system.hpp>

#include "sim/cluster_config.hpp"
#include "actors/cluster.hpp"
#include "actors/fault_injector.hpp"
#include "actors/service.hpp"
#include "actors/timer_pool.hpp"

namespace compactsim::actors {

class live_control : public control_service, public std::enable_shared_from_this<live_control> {
public:
  /// Takes over `c` (a copy of its handles: the actors and models are shared).
  live_control(caf::actor_system& sys, const cluster& c, std::uint64_t seed,
               std::chrono::milliseconds bound = std::chrono::milliseconds{1000});
  ~live_control() override { timers_->stop_all(); }
  /// Stops the pending timed heals (at shutdown, before the cluster stops).
  void stop_timers() { timers_->stop_all(); }
  /// Heal and scenario timers waiting to fire.
  std::size_t pending_timers() const { return timers_->pending(); }
  /// Stops the timers and the current cluster (at shutdown).
  void shutdown();

  /// The cluster being served now (a reset replaces it).
  std::shared_ptr<const cluster> current() const;
  /// Called with the new cluster after every reset (the HTTP services retarget).
  void on_reset(std::function<void(const cluster&)> fn);
  /// BE `slot` of a node process is up at `be` (spawned by `host`): the
  /// coordinator, the router and this control follow it, and the versions
  /// it missed are published to it again.
  void attach_remote(std::int32_t slot, backend_actor be, caf::actor host);
  /// Marks slots as hosted by node processes: a reset is refused while any is.
  void set_remote_slots(std::vector<std::int32_t> slots);

  /// Runs `fn` once `sim_ms` of simulated time has passed, unless a reset or
  /// shutdown comes first (a live scenario's timeline).
  void at(sim::time_ms sim_ms, std::function<void()> fn);

  void health(callback<std::vector<node_health>> cb) override;
  fault_view inject(sim::fault_spec f) override;
  sim::node_counts nodes() const override;
  std::vector<fault_view> faults() const override;
  bool heal(const std::string& id) override;
  std::vector<std::string> heal_all() override;
  void metrics(callback<cluster_metrics> cb) override;
  void state(std::size_t offset, std::size_t limit, callback<cluster_state> cb) override;
  void dashboard(std::size_t top_n, callback<dashboard_snapshot> cb) override;
  void tablet(std::size_t be, std::int64_t tablet_id, callback<tablet_detail> cb) override;
  void datasource(const std::string& name, std::size_t limit, callback<datasource_detail> cb) override;
  /// True while BE `i` is crashed: its listener answers nothing.
  bool backend_down(std::size_t i) const;
  /// BE `i` is paused: its port accepts requests and answers none.
  bool backend_paused(std::size_t i) const;
  sim::time_ms now() const override;
  double speed() const override;
  void set_speed(double speed) override;
  bool reset(const std::optional<sim::cluster_config>& config, std::string& error) override;
  bool ingest_doris(std::int64_t table, int count, bool is_delete) override;
  bool ingest_druid(const std::string& data_source, int segments, std::int64_t rows, std::int64_t bytes) override;

private:
  void heal_generation(const std::string& id, std::uint64_t generation);

  caf::actor_system& sys_;
  std::uint64_t seed_;
  std::chrono::milliseconds bound_;
  mutable std::mutex mutex_;
  std::mutex reset_mutex_;                       ///< taken before mutex_, for a whole reset
  std::shared_ptr<cluster> cluster_;             ///< replaced whole by a reset
  std::shared_ptr<cluster> retired_;             ///< the one before, kept while late replies drain
  sim::cluster_config initial_;                  ///< what a reset without a scenario goes back to
  std::unique_ptr<fault_injector> injector_;     ///< over *cluster_
  std::uint64_t next_id_ = 1;
  std::uint64_t next_generation_ = 0;
  std::uint64_t epoch_ = 0;                      ///< counts resets: timers of an older cluster do nothing
  std::shared_ptr<timer_pool> timers_;
  std::map<std::string, std::uint64_t> generation_; ///< per fault id: a timer heals only its own fault
  std::vector<std::function<void(const cluster&)>> reset_listeners_;
  std::vector<std::int32_t> remote_slots_;
};

} // namespace compactsim::actors
