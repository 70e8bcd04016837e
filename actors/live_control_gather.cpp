//! The control service's reads across every actor: the readiness probes,
//! the cluster state (each BE's summary and tablets, the Druid side's
//! datasources and tasks) and the Prometheus metrics, each a gather that
//! completes once every node answered or timed out.

#include "actors/live_control.hpp"
#include "actors/gather.hpp"

#include <algorithm>
#include <tuple>

#include <caf/event_based_actor.hpp>

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

/// BE `i`'s part of the cluster state: its summary and every tablet, read on
/// its actor.
void ask_backend_state(caf::event_based_actor* self, const backend_actor& be, std::size_t i,
                       std::chrono::milliseconds bound, const std::shared_ptr<gather<cluster_state>>& g) {
  using row = tablet_panel;
  if (g->state.backends[i].remote) {
    // A BE in a node process: its summary crosses as plain values; its
    // tablets stay there (its own port shows them).
    self->request(be, bound, stats_atom::value)
      .then(
        [=](const backend_stats& s) {
          take_stats(g->state.backends[i], s);
          g->arrived();
        },
        [=](const caf::error&) { g->arrived(); });
    return;
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
  self->request(be, bound, exec_atom::value, std::move(job))
    .then(
      [=](bool) {
        g->state.backends[i] = *summary;
        g->state.tablets.insert(g->state.tablets.end(), rows->begin(), rows->end());
        g->arrived();
      },
      [=](const caf::error&) { g->arrived(); });
}

/// The overlord's part of the cluster state: the timelines and the task
/// board arrive in either order; each fills its own part of the state.
void ask_overlord_state(caf::event_based_actor* self, const druid_overlord_actor& overlord,
                        std::chrono::milliseconds bound, const std::shared_ptr<gather<cluster_state>>& g) {
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
}

} // namespace

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
    for (std::size_t i = 0; i < backends.size(); ++i)
      ask_backend_state(self, backends[i], i, bound, g);
    if (!overlord) {
      g->arrived();
      return;
    }
    ask_overlord_state(self, overlord, bound, g);
  };
  sys_.spawn(asker, c->fe_coordinator);
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
