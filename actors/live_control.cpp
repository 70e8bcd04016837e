//! The control service's own state: the cluster it serves and its reset,
//! faults and their timed heals, the clock, remote BEs attaching, and
//! ingestion. The gathers across every actor (readiness, state, metrics)
//! are in live_control_gather.cpp, the dashboard's in dashboard.cpp.

#include "actors/live_control.hpp"

#include "sim/core/rng.hpp"
#include "sim/druid/bootstrap.hpp"

#include <caf/send.hpp>

namespace compactsim::actors {

live_control::live_control(caf::actor_system& sys, const cluster& c, std::uint64_t seed,
                           std::chrono::milliseconds bound)
  : sys_(sys), seed_(seed), bound_(bound), cluster_(std::make_shared<cluster>(c)), initial_(c.config),
    injector_(std::make_unique<fault_injector>(sys, *cluster_, sim::derive_seed(seed, sim::seed_stream::faults))), timers_(std::make_shared<timer_pool>(sys)) {}

std::shared_ptr<const cluster> live_control::current() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return cluster_;
}

void live_control::on_reset(std::function<void(const cluster&)> fn) {
  std::lock_guard<std::mutex> guard{mutex_};
  reset_listeners_.push_back(std::move(fn));
}

sim::time_ms live_control::now() const { return current()->clock.now(sys_.clock()); }

double live_control::speed() const { return current()->clock.speed(); }

void live_control::at(sim::time_ms sim_ms, std::function<void()> fn) {
  std::uint64_t epoch;
  std::chrono::milliseconds delay;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    epoch = epoch_;
    delay = cluster_->clock.delay(sim_ms);
  }
  std::weak_ptr<live_control> weak = weak_from_this();
  timers_->after(delay, [weak, epoch, fn = std::move(fn)] {
    auto control = weak.lock();
    if (!control)
      return;
    {
      std::lock_guard<std::mutex> guard{control->mutex_};
      if (control->epoch_ != epoch)
        return;
    }
    fn();
  });
}

void live_control::attach_remote(std::int32_t slot, backend_actor be, caf::actor host) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = static_cast<std::size_t>(slot);
  if (slot < 0 || i >= cluster_->backends.size())
    return;
  cluster_->backends[i] = be;
  if (cluster_->hosts.size() < cluster_->backends.size())
    cluster_->hosts.resize(cluster_->backends.size());
  cluster_->hosts[i] = std::move(host);
  caf::anon_send(cluster_->router, set_backend_atom::value, slot, be);
  caf::anon_send(cluster_->fe_coordinator, set_backend_atom::value, slot, be);
  caf::anon_send(cluster_->fe_coordinator, catch_up_atom::value, slot);
}

void live_control::set_remote_slots(std::vector<std::int32_t> slots) {
  std::lock_guard<std::mutex> guard{mutex_};
  remote_slots_ = std::move(slots);
}

bool live_control::reset(const std::optional<sim::cluster_config>& config, std::string& error) {
  // One reset at a time, listeners included: two overlapping ones must not
  // leave the HTTP services pointing at the cluster that lost.
  std::lock_guard<std::mutex> one_at_a_time{reset_mutex_};
  std::vector<std::function<void(const cluster&)>> listeners;
  std::shared_ptr<cluster> fresh;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!remote_slots_.empty()) {
      error = "backends run in node processes; a reset cannot rebuild them (restart serve and the nodes)";
      return false;
    }
    auto cfg = config.value_or(initial_);
    if (cfg.doris.backends != cluster_->config.doris.backends) {
      error = "the cluster has " + std::to_string(cfg.doris.backends) + " backends; this server listens for " +
              std::to_string(cluster_->config.doris.backends) + " (restart it with --config)";
      return false;
    }
    if (cfg.doris.profile != cluster_->config.doris.profile) {
      error = "the new cluster's API profile differs from the one this server's BE ports speak (restart it with --config)";
      return false;
    }
    if (!cfg.druid.version)
      cfg.druid.version = cluster_->config.druid.version;
    if (cfg.druid.enabled && cluster_->config.druid.enabled &&
        cfg.druid.api_version() != cluster_->config.druid.api_version()) {
      error = "the new cluster's Druid version differs from the one this server's router speaks (restart it with --config)";
      return false;
    }
    if (cfg.druid.enabled && !cluster_->config.druid.enabled) {
      error = "the new cluster has a Druid side; this server has no Druid listener (restart it with --config)";
      return false;
    }
    // A cluster without a Druid side (a Doris-only scenario) keeps the
    // server's, whose listener stays up.
    if (!cfg.druid.enabled && cluster_->config.druid.enabled)
      cfg.druid = initial_.druid;
    // Simulated time goes on: the new cluster starts where the old one is.
    auto speed = cluster_->clock.speed();
    cfg.epoch_ms = cluster_->clock.now(sys_.clock());
    auto spawned = spawn_cluster(sys_, cfg, error, nullptr, speed);
    if (!spawned)
      return false;
    fresh = std::make_shared<cluster>(std::move(*spawned));
    stop_cluster(*cluster_);
    retired_ = std::move(cluster_);
    cluster_ = fresh;
    injector_ = std::make_unique<fault_injector>(sys_, *cluster_, sim::derive_seed(seed_, sim::seed_stream::faults));
    ++epoch_;
    // The old cluster's heals and scenario steps would do nothing when they
    // fire (the epoch moved on); until then each holds an actor. Stopped
    // here, under the lock that at() reads the epoch with, so a reset
    // cannot leave them piling up (the control fuzzer's memory grew so).
    timers_->cancel_pending();
    listeners = reset_listeners_;
  }
  for (const auto& fn : listeners)
    fn(*fresh);
  return true;
}

void live_control::shutdown() {
  timers_->stop_all();
  std::lock_guard<std::mutex> guard{mutex_};
  stop_cluster(*cluster_);
}

fault_view live_control::inject(sim::fault_spec f) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (f.id.empty() || injector_->active().count(f.id))
    f.id = "fault-" + std::to_string(next_id_++);
  auto applied = injector_->inject(f, cluster_->clock.now(sys_.clock()));
  auto generation = generation_[f.id] = ++next_generation_;
  if (f.duration) {
    // The heal waits out simulated time (so --speed shortens it), and heals
    // only this injection of the id, not a later one.
    std::weak_ptr<live_control> weak = weak_from_this();
    timers_->after(cluster_->clock.delay(*f.duration), [weak, id = f.id, generation] {
      if (auto control = weak.lock())
        control->heal_generation(id, generation);
    });
  }
  return {applied.spec, applied.nodes, applied.heal_at, applied.groups};
}

void live_control::heal_generation(const std::string& id, std::uint64_t generation) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (auto it = generation_.find(id); it != generation_.end() && it->second == generation)
    injector_->heal(id);
}

std::vector<fault_view> live_control::faults() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<fault_view> out;
  for (const auto& [id, f] : injector_->active())
    out.push_back({f.spec, f.nodes, f.heal_at, f.groups});
  return out;
}

bool live_control::heal(const std::string& id) {
  std::lock_guard<std::mutex> guard{mutex_};
  return injector_->heal(id);
}

void live_control::set_speed(double speed) {
  auto c = current();
  c->clock.set_speed(speed, sys_.clock());
  // The duty's next run is half an hour away at speed 1: bring it in.
  if (c->druid_coordinator)
    caf::anon_send(c->druid_coordinator, tick_atom::value);
}

sim::node_counts live_control::nodes() const {
  auto c = current();
  return {c->backends.size(), c->druid_workers.size(), static_cast<bool>(c->druid_overlord)};
}

bool live_control::ingest_doris(std::int64_t table, int count, bool is_delete) {
  auto c = current();
  if (!c->catalog.table(table))
    return false;
  caf::anon_send(c->fe_coordinator, load_now_atom::value, table, static_cast<std::int32_t>(count), is_delete);
  return true;
}

bool live_control::ingest_druid(const std::string& data_source, int segments, std::int64_t rows, std::int64_t bytes) {
  auto c = current();
  if (!c->druid_overlord)
    return false;
  caf::anon_send(c->druid_overlord, stream_atom::value, sim::druid::stream_batch{data_source, segments, rows, bytes});
  return true;
}

bool live_control::backend_down(std::size_t i) const {
  std::lock_guard<std::mutex> guard{mutex_};
  return injector_->backend_down(i);
}

bool live_control::backend_paused(std::size_t i) const {
  std::lock_guard<std::mutex> guard{mutex_};
  return injector_->backend_paused(i);
}

std::vector<std::string> live_control::heal_all() {
  std::lock_guard<std::mutex> guard{mutex_};
  return injector_->heal_all();
}

} // namespace compactsim::actors
