#include "actors/live_control.hpp"
#include "actors/gather.hpp"

#include "sim/druid/bootstrap.hpp"



#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

namespace compactsim::actors {

namespace {

struct health_state {
  std::vector<node_health> nodes;
};

druid_coordinator_metrics coordinator_metrics(const sim::druid::compaction_status& st) {
  druid_coordinator_metrics m;
  for (const auto& s : st.latest)
    m.datasources.push_back({s.data_source, s.awaiting.bytes, s.compacted.bytes, s.skipped.bytes});
  m.duty_runs = st.runs;
  return m;
}

} // namespace

live_control::live_control(caf::actor_system& sys, const cluster& c, std::uint64_t seed,
                           std::chrono::milliseconds bound)
  : sys_(sys), seed_(seed), bound_(bound), cluster_(std::make_shared<cluster>(c)), initial_(c.config),
    injector_(std::make_unique<fault_injector>(sys, *cluster_, seed)), timers_(std::make_shared<timer_pool>(sys)) {}

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
    injector_ = std::make_unique<fault_injector>(sys_, *cluster_, seed_);
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

void live_control::health(callback<std::vector<node_health>> cb) {
  auto c = current();
  auto backends = c->backends;
  auto g = std::make_shared<gather<health_state>>();
  g->state.nodes.resize(backends.size() + 3);
  g->pending = g->state.nodes.size();
  g->done = [cb](health_state& s) { cb(reply<std::vector<node_health>>{std::move(s.nodes), {}}); };
  auto co = c->fe_coordinator;
  auto overlord = c->druid_overlord;
  auto druid_coordinator = c->druid_coordinator;
  auto bound = bound_;
  auto asker = [=](caf::event_based_actor* self, const fe_coordinator_actor&) {
    auto answer = [g](std::size_t slot, std::string node) {
      return [g, slot, node](bool ok, std::string why) {
        g->state.nodes[slot] = node_health{node, ok, std::move(why)};
        g->arrived();
      };
    };
    auto why = [bound](const caf::error& e) {
      return "no answer within " + std::to_string(bound.count()) + " ms (" + caf::to_string(e) + ")";
    };
    for (std::size_t i = 0; i < backends.size(); ++i) {
      auto done = answer(i, "be:" + std::to_string(i));
      self->request(backends[i], bound, stats_atom::value)
        .then([=](const backend_stats&) { done(true, {}); }, [=](const caf::error& e) { done(false, why(e)); });
    }
    auto n = backends.size();
    auto done_co = answer(n, "fe");
    self->request(co, bound, stats_atom::value)
      .then([=](std::uint64_t, std::uint64_t) { done_co(true, {}); }, [=](const caf::error& e) { done_co(false, why(e)); });
    auto done_ov = answer(n + 1, "overlord");
    auto done_dc = answer(n + 2, "coordinator");
    if (overlord)
      self->request(overlord, bound, stats_atom::value)
        .then([=](const druid_overlord_metrics&) { done_ov(true, {}); },
              [=](const caf::error& e) { done_ov(false, why(e)); });
    else
      done_ov(true, "disabled");
    if (druid_coordinator)
      self->request(druid_coordinator, bound, cstatus_atom::value)
        .then([=](const sim::druid::compaction_status&) { done_dc(true, {}); },
              [=](const caf::error& e) { done_dc(false, why(e)); });
    else
      done_dc(true, "disabled");
  };
  sys_.spawn(asker, co);
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

void live_control::state(std::size_t offset, std::size_t limit, callback<cluster_state> cb) {
  using row = tablet_panel;
  auto c = current();
  auto backends = c->backends;
  auto g = std::make_shared<gather<cluster_state>>();
  auto& out = g->state;
  out.now = now();
  out.speed = speed();
  out.faults = faults();
  out.offset = offset;
  out.limit = limit;
  out.backends.resize(backends.size());
  for (std::size_t i = 0; i < backends.size(); ++i) {
    out.backends[i].be = i;
    out.backends[i].backend_id = c->catalog.backend_ids.at(i);
    out.backends[i].remote = i < c->hosts.size() && c->hosts[i];
  }
  g->pending = backends.size() + (c->druid_overlord ? 2 : 1); // the overlord answers twice
  g->done = [=](cluster_state& s) {
    std::sort(s.tablets.begin(), s.tablets.end(),
              [](const row& a, const row& b) { return std::tie(a.tablet_id, a.be) < std::tie(b.tablet_id, b.be); });
    s.tablets_total = s.tablets.size();
    auto first = std::min(offset, s.tablets.size());
    auto last = first + std::min(limit, s.tablets.size() - first);
    s.tablets = std::vector<row>(s.tablets.begin() + static_cast<std::ptrdiff_t>(first),
                                 s.tablets.begin() + static_cast<std::ptrdiff_t>(last));
    cb(reply<cluster_state>{std::move(s), {}});
  };
  auto overlord = c->druid_overlord;
  auto bound = bound_;
  auto asker = [=](caf::event_based_actor* self, const fe_coordinator_actor&) {
    for (std::size_t i = 0; i < backends.size(); ++i) {
      if (g->state.backends[i].remote) {
        // A BE in a node process: its summary crosses as plain values; its
        // tablets stay there (its own port shows them).
        self->request(backends[i], bound, stats_atom::value)
          .then(
            [=](const backend_stats& s) {
              take_stats(g->state.backends[i], s);
              g->arrived();
            },
            [=](const caf::error&) { g->arrived(); });
        continue;
      }
      auto rows = std::make_shared<std::vector<row>>();
      auto summary = std::make_shared<cluster_state::backend>(g->state.backends[i]);
      backend_job job = [rows, summary, i](sim::backend_model& m, sim::time_ms) {
        for (const auto& r : m.replicas()) {
          rows->push_back({r.tablet_id, r.table_id, i, static_cast<std::int64_t>(r.rowsets.size()), r.cumu_score,
                           r.base_score, r.duplicates, r.running});
          summary->max_version_count = std::max<std::int64_t>(summary->max_version_count, rows->back().versions);
          summary->max_cumulative_score = std::max(summary->max_cumulative_score, r.cumu_score);
          summary->max_base_score = std::max(summary->max_base_score, r.base_score);
        }
        summary->up = true;
        summary->replicas = static_cast<std::int64_t>(m.replicas().size());
        summary->running_compactions = static_cast<std::int64_t>(m.tasks().size());
        summary->rejected_loads = m.rejected_loads();
      };
      self->request(backends[i], bound, exec_atom::value, std::move(job))
        .then(
          [=](bool) {
            g->state.backends[i] = *summary;
            g->state.tablets.insert(g->state.tablets.end(), rows->begin(), rows->end());
            g->arrived();
          },
          [=](const caf::error&) { g->arrived(); });
    }
    if (!overlord) {
      g->arrived();
      return;
    }
    // The timelines and the task board arrive in either order; each fills
    // its own part of the state.
    self->request(overlord, bound, timelines_atom::value)
      .then(
        [=](const sim::druid::store_view& v) {
          for (const auto& tl : v.timelines)
            g->state.datasources.push_back({tl->name, tl->segments.size(), tl->total_bytes(), tl->latest()});
          g->arrived();
        },
        [=](const caf::error&) { g->arrived(); });
    self->request(overlord, bound, tasks_atom::value, true)
      .then(
        [=](sim::druid::task_board& b) {
          g->state.tasks = std::move(b.tasks);
          g->arrived();
        },
        [=](const caf::error&) { g->arrived(); });
  };
  sys_.spawn(asker, c->fe_coordinator);
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

void live_control::metrics(callback<cluster_metrics> cb) {
  auto c = current();
  auto backends = c->backends;
  auto g = std::make_shared<gather<cluster_metrics>>();
  g->state.backends.resize(backends.size());
  g->pending = backends.size() + 3;
  g->done = [cb](cluster_metrics& s) { cb(reply<cluster_metrics>{std::move(s), {}}); };
  auto co = c->fe_coordinator;
  auto overlord = c->druid_overlord;
  auto druid_coordinator = c->druid_coordinator;
  auto bound = bound_;
  auto asker = [=](caf::event_based_actor* self, const fe_coordinator_actor&) {
    for (std::size_t i = 0; i < backends.size(); ++i)
      self->request(backends[i], bound, stats_atom::value)
        .then([=](const backend_stats& s) { g->state.backends[i] = s; g->arrived(); },
              [=](const caf::error&) { g->arrived(); });
    self->request(co, bound, stats_atom::value)
      .then([=](std::uint64_t published, std::uint64_t rejected) {
              g->state.loads = std::make_pair(published, rejected);
              g->arrived();
            },
            [=](const caf::error&) { g->arrived(); });
    // The Druid figures are read on their own actors into their own
    // structs, taken only from a reply (a late job after a timeout writes to
    // a struct nobody reads).
    if (overlord) {
      self->request(overlord, bound, stats_atom::value)
        .then([=](druid_overlord_metrics& m) { g->state.overlord = std::move(m); g->arrived(); },
              [=](const caf::error&) { g->arrived(); });
    } else {
      g->arrived();
    }
    if (druid_coordinator) {
      self->request(druid_coordinator, bound, cstatus_atom::value)
        .then(
          [=](const sim::druid::compaction_status& st) {
            g->state.coordinator = coordinator_metrics(st);
            g->arrived();
          },
          [=](const caf::error&) { g->arrived(); });
    } else {
      g->arrived();
    }
  };
  sys_.spawn(asker, co);
}

} // namespace compactsim::actors
