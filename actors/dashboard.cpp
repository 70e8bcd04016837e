//! The dashboard's gathers: every BE's summary and top tablets, one
//! tablet's rowsets, a datasource's timeline, and the Druid side's progress
//! and tasks, each asked of the actor that owns the model, with the bound.

#include "actors/dashboard.hpp"
#include "actors/gather.hpp"
#include "actors/live_control.hpp"

#include <algorithm>
#include <map>

#include <caf/event_based_actor.hpp>

namespace compactsim::actors {

namespace {

std::uint32_t top_score(const tablet_panel& t) { return std::max(t.cumulative_score, t.base_score); }

bool hotter(const tablet_panel& a, const tablet_panel& b) {
  if (top_score(a) != top_score(b))
    return top_score(a) > top_score(b);
  return std::tie(a.tablet_id, a.be) < std::tie(b.tablet_id, b.be);
}

/// The highest `n` of `rows` by score, hottest first.
void keep_top(std::vector<tablet_panel>& rows, std::size_t n) {
  if (rows.size() > n) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), hotter);
    rows.resize(n);
  } else {
    std::sort(rows.begin(), rows.end(), hotter);
  }
}

/// Crashed beats paused beats partitioned: what the node looks like from outside.
int severity(const std::string& state) {
  return state == "crashed" ? 3 : state == "paused" ? 2 : state == "partitioned" ? 1 : 0;
}

std::vector<node_panel> node_panels(const cluster& c, const std::vector<fault_view>& faults) {
  std::vector<node_panel> nodes;
  auto node = [](std::string name) {
    node_panel n;
    n.node = std::move(name);
    return n;
  };
  for (std::size_t i = 0; i < c.backends.size(); ++i) {
    nodes.push_back(node("be:" + std::to_string(i)));
    nodes.back().remote = i < c.hosts.size() && static_cast<bool>(c.hosts[i]);
  }
  nodes.push_back(node("fe"));
  if (c.druid_overlord) {
    nodes.push_back(node("coordinator"));
    nodes.push_back(node("overlord"));
    for (std::size_t i = 0; i < c.druid_workers.size(); ++i)
      nodes.push_back(node("worker:" + std::to_string(i)));
  }
  for (const auto& f : faults) {
    std::vector<std::string> named = f.nodes;
    for (const auto& g : f.groups)
      named.insert(named.end(), g.begin(), g.end());
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    std::string state = f.spec.kind() == sim::fault_kind::crash       ? "crashed"
                      : f.spec.kind() == sim::fault_kind::pause     ? "paused"
                      : f.spec.kind() == sim::fault_kind::partition ? "partitioned"
                                                                  : "up";
    for (auto& n : nodes) {
      if (!std::binary_search(named.begin(), named.end(), n.node))
        continue;
      n.faults.push_back(f.spec.id);
      n.kinds.emplace_back(sim::to_string(f.spec.kind()));
      if (severity(state) > severity(n.state))
        n.state = state;
    }
  }
  return nodes;
}

/// A BE's summary and its own top tablets, read on its actor.
void summarize(const sim::backend_model& m, std::size_t be, std::size_t top_n, backend_panel& b,
               std::vector<tablet_panel>& top) {
  b.up = true;
  b.replicas = static_cast<std::int64_t>(m.replicas().size());
  b.rejected_loads = static_cast<std::int64_t>(m.rejected_loads());
  b.queued = static_cast<std::int64_t>(m.queued_full());
  for (const auto& [id, t] : m.tasks())
    ++b.running[sim::index(t.type)];
  for (const auto& r : m.replicas()) {
    auto versions = static_cast<std::int64_t>(r.rowsets.size());
    b.max_version_count = std::max(b.max_version_count, versions);
    b.max_cumulative_score = std::max(b.max_cumulative_score, r.cumu_score);
    b.max_base_score = std::max(b.max_base_score, r.base_score);
    top.push_back({r.tablet_id, r.table_id, be, versions, r.cumu_score, r.base_score, r.duplicates, r.running});
    if (top.size() >= 4 * top_n + 64)
      keep_top(top, top_n);
  }
  keep_top(top, top_n);
}

task_panel task_of(const sim::druid::task_row& t) {
  return {t.id, t.data_source, std::string{sim::druid::to_string(t.runner)}, t.span.start, t.span.end, t.slots, t.worker};
}

/// The Druid side's part of a snapshot: the overlord's datasources, tasks
/// and slots, and the coordinator's latest status, in any order.
struct druid_parts {
  dashboard_snapshot overlord;
  std::vector<sim::druid::auto_compaction_snapshot> status;
  std::uint64_t runs = 0;
};

/// Moves the Druid side into `snap`, joining the status to the datasources by name.
void merge_druid(dashboard_snapshot& snap, druid_parts& d) {
  snap.datasources = std::move(d.overlord.datasources);
  snap.tasks = std::move(d.overlord.tasks);
  snap.total_slots = d.overlord.total_slots;
  snap.used_slots = d.overlord.used_slots;
  snap.duty_runs = d.runs;
  std::map<std::string_view, const sim::druid::auto_compaction_snapshot*> latest;
  for (const auto& st : d.status)
    latest[st.data_source] = &st;
  for (auto& ds : snap.datasources)
    if (auto it = latest.find(ds.name); it != latest.end()) {
      ds.awaiting = it->second->awaiting.bytes;
      ds.compacted = it->second->compacted.bytes;
      ds.skipped = it->second->skipped.bytes;
      ds.has_status = true;
    }
}

/// Asks the overlord (timelines, task board) and the coordinator (status):
/// three replies into `d`.
void ask_druid(caf::event_based_actor* self, const cluster& c, std::chrono::milliseconds bound,
               const std::shared_ptr<gather<dashboard_snapshot>>& g, const std::shared_ptr<druid_parts>& d) {
  // The overlord's datasources and tasks and the coordinator's latest
  // status arrive in either order; done() joins them by name.
  self->request(c.druid_overlord, bound, timelines_atom::value)
    .then(
      [=](const sim::druid::store_view& v) {
        for (const auto& tl : v.timelines)
          d->overlord.datasources.push_back(
            {tl->name, static_cast<std::int64_t>(tl->segments.size()), tl->total_bytes(), 0, 0, 0, false});
        g->arrived();
      },
      [=](const caf::error&) { g->arrived(); });
  self->request(c.druid_overlord, bound, tasks_atom::value, true)
    .then(
      [=](const sim::druid::task_board& b) {
        for (const auto& t : b.tasks)
          d->overlord.tasks.push_back(task_of(t));
        d->overlord.total_slots = b.total_capacity;
        d->overlord.used_slots = b.used_capacity;
        g->arrived();
      },
      [=](const caf::error&) { g->arrived(); });
  self->request(c.druid_coordinator, bound, cstatus_atom::value)
    .then(
      [=](sim::druid::compaction_status& st) {
        d->status = std::move(st.latest);
        d->runs = st.runs;
        g->arrived();
      },
      [=](const caf::error&) { g->arrived(); });
}

} // namespace

void live_control::dashboard(std::size_t top_n, callback<dashboard_snapshot> cb) {
  auto c = current();
  auto g = std::make_shared<gather<dashboard_snapshot>>();
  auto& s = g->state;
  s.now = now();
  s.speed = speed();
  {
    std::lock_guard<std::mutex> guard{mutex_};
    s.generation = epoch_;
  }
  s.nodes = node_panels(*c, faults());
  s.druid = static_cast<bool>(c->druid_overlord);
  s.backends.resize(c->backends.size());
  for (std::size_t i = 0; i < c->backends.size(); ++i) {
    s.backends[i].be = i;
    s.backends[i].backend_id = c->catalog.backend_ids.at(i);
    s.backends[i].remote = s.nodes[i].remote;
  }
  auto tops = std::make_shared<std::vector<std::vector<tablet_panel>>>(c->backends.size());
  auto druid = std::make_shared<druid_parts>();
  g->pending = c->backends.size() + (s.druid ? 3 : 0) + 1; // the overlord answers twice
  g->done = [cb, tops, top_n, druid](dashboard_snapshot& snap) {
    for (auto& t : *tops)
      snap.top.insert(snap.top.end(), t.begin(), t.end());
    keep_top(snap.top, top_n);
    merge_druid(snap, *druid);
    for (const auto& b : snap.backends)
      snap.tablets += b.replicas;
    cb(reply<dashboard_snapshot>{std::move(snap), {}});
  };
  auto bound = bound_;
  auto asker = [c, g, tops, druid, bound, top_n](caf::event_based_actor* self) {
    for (std::size_t i = 0; i < c->backends.size(); ++i) {
      if (g->state.backends[i].remote) {
        // A BE in a node process: its summary crosses as plain values.
        self->request(c->backends[i], bound, stats_atom::value)
          .then(
            [=](const backend_stats& st) {
              take_stats(g->state.backends[i], st);
              g->arrived();
            },
            [=](const caf::error&) { g->arrived(); });
        continue;
      }
      auto panel = std::make_shared<backend_panel>(g->state.backends[i]);
      backend_job job = [panel, tops, i, top_n](sim::backend_model& m, sim::time_ms) {
        summarize(m, i, top_n, *panel, (*tops)[i]);
      };
      self->request(c->backends[i], bound, exec_atom::value, std::move(job))
        .then([=](bool) { g->state.backends[i] = *panel; g->arrived(); }, [=](const caf::error&) { g->arrived(); });
    }
    if (c->druid_overlord)
      ask_druid(self, *c, bound, g, druid);
    g->arrived();
  };
  sys_.spawn(asker);
}

void live_control::tablet(std::size_t be, std::int64_t tablet_id, callback<tablet_detail> cb) {
  auto c = current();
  if (be >= c->backends.size())
    return cb(reply<tablet_detail>{std::nullopt, "no BE " + std::to_string(be)});
  if (be < c->hosts.size() && c->hosts[be])
    return cb(reply<tablet_detail>{std::nullopt, "be:" + std::to_string(be) + " runs in a node process: ask its own port"});
  auto out = std::make_shared<tablet_detail>();
  backend_job job = [out, be, tablet_id](sim::backend_model& m, sim::time_ms) {
    const auto* r = m.find(tablet_id);
    out->be = be;
    out->tablet_id = tablet_id;
    if (!r)
      return;
    out->found = true;
    out->table_id = r->table_id;
    out->cumulative_point = r->cumulative_point;
    out->cumulative_score = r->cumu_score;
    out->base_score = r->base_score;
    out->duplicates = r->duplicates;
    out->running = r->running;
    out->merge_on_write = r->merge_on_write;
    out->keys = std::string{sim::to_string(r->keys)};
    auto panel = [](const sim::rowset& x) {
      return rowset_panel{x.start, x.end, x.rows, x.bytes, x.segments, x.overlapping, x.is_delete, x.created(), 0};
    };
    for (const auto& x : r->rowsets)
      out->rowsets.push_back(panel(x));
    for (const auto& x : r->stale) {
      out->stale.push_back(panel(x.data));
      out->stale.back().stale_since = x.stale_since;
    }
    for (auto type : {sim::compaction_type::cumulative, sim::compaction_type::base, sim::compaction_type::full})
      out->last_status[sim::index(type)] = m.last_status_text(*r, type);
  };
  auto bound = bound_;
  auto target = c->backends[be];
  sys_.spawn([=](caf::event_based_actor* self) {
    self->request(target, bound, exec_atom::value, std::move(job))
      .then([=](bool) { cb(reply<tablet_detail>{std::move(*out), {}}); },
            [=](const caf::error&) { cb(reply<tablet_detail>{std::nullopt, "be:" + std::to_string(be) + " did not answer"}); });
  });
}

void live_control::datasource(const std::string& name, std::size_t limit, callback<datasource_detail> cb) {
  auto c = current();
  if (!c->druid_overlord)
    return cb(reply<datasource_detail>{std::nullopt, "the Druid side is disabled"});
  // The timeline and the task board arrive in either order.
  auto g = std::make_shared<gather<datasource_detail>>();
  g->state.name = name;
  g->pending = 2;
  g->done = [cb](datasource_detail& d) { cb(reply<datasource_detail>{std::move(d), {}}); };
  auto failed = std::make_shared<bool>(false);
  auto bound = bound_;
  auto target = c->druid_overlord;
  sys_.spawn([=](caf::event_based_actor* self) {
    auto lost = [=](const caf::error&) {
      // The first failure answers; the other reply is dropped.
      if (!*failed)
        cb(reply<datasource_detail>{std::nullopt, "the overlord did not answer"});
      *failed = true;
    };
    self->request(target, bound, timelines_atom::value)
      .then(
        [=](const sim::druid::store_view& v) {
          if (*failed)
            return;
          auto& out = g->state;
          auto it = std::find_if(v.timelines.begin(), v.timelines.end(), [&](const auto& tl) { return tl->name == name; });
          if (it != v.timelines.end()) {
            out.found = true;
            for (const auto& seg : (*it)->segments) {
              if (out.chunks.empty() || out.chunks.back().start != seg.span.start || out.chunks.back().end != seg.span.end)
                out.chunks.push_back({seg.span.start, seg.span.end, 0, 0, true, 0});
              auto& ch = out.chunks.back();
              ++ch.segments;
              ch.bytes += seg.size;
              ch.compacted = ch.compacted && seg.state != 0;
              ch.version = std::max(ch.version, seg.version);
            }
            out.total_chunks = static_cast<std::int64_t>(out.chunks.size());
            if (out.chunks.size() > limit)
              out.chunks.erase(out.chunks.begin(), out.chunks.end() - static_cast<std::ptrdiff_t>(limit));
          }
          g->arrived();
        },
        lost);
    self->request(target, bound, tasks_atom::value, true)
      .then(
        [=](const sim::druid::task_board& b) {
          if (*failed)
            return;
          for (const auto& l : b.locks)
            if (l.data_source == name)
              g->state.locks.push_back({l.task_id, l.span.start, l.span.end, l.priority});
          for (const auto& t : b.tasks)
            if (t.data_source == name)
              g->state.tasks.push_back(task_of(t));
          g->arrived();
        },
        lost);
  });
}

} // namespace compactsim::actors
