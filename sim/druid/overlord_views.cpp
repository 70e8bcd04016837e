#include "sim/druid/overlord_views.hpp"

#include <algorithm>
#include <set>

#include "sim/druid/overlord.hpp"

namespace compactsim::sim::druid {

task_row row_of(const compact_task& t, const std::vector<worker>& workers) {
  task_row r;
  r.id = t.id;
  r.data_source = t.data_source;
  r.created = t.created;
  r.queued = t.queued;
  r.state = t.state;
  r.runner = t.runner;
  r.duration = t.duration;
  r.error = t.error;
  // TaskStatusPlus's location: the worker while the task runs, and after
  // it ran there; unknown while it waits or when it never started.
  if (t.runner == runner_state::running || (t.worker >= 0 && !t.active()))
    r.host = workers.at(static_cast<std::size_t>(t.worker)).host;
  r.port = t.port;
  r.worker = t.worker;
  r.span = t.span;
  r.slots = t.slots;
  return r;
}

task_board board_of(const overlord& o, time_ms now, bool active_only) {
  task_board b;
  b.now = now;
  for (const auto* t : o.tasks())
    if (!active_only || t->active())
      b.tasks.push_back(row_of(*t, o.workers()));
  b.workers = o.workers();
  b.total_capacity = o.total_capacity();
  b.used_capacity = o.used_capacity();
  b.locks = o.locks(now);
  return b;
}

const timeline* store_view::find(const std::string& ds) const {
  auto it = std::lower_bound(timelines.begin(), timelines.end(), ds,
                             [](const std::shared_ptr<const timeline>& t, const std::string& name) { return t->name < name; });
  if (it == timelines.end() || (*it)->name != ds || (*it)->segments.empty())
    return nullptr;
  return it->get();
}

store_view view_of(const overlord& o, time_ms now) {
  store_view v;
  v.now = now;
  v.timelines.reserve(o.store().datasources().size());
  for (const auto& [name, tl] : o.store().datasources())
    v.timelines.push_back(tl);
  return v;
}

std::map<std::string, std::vector<interval>> locked_intervals(const std::vector<held_lock>& locks,
                                                              const std::map<std::string, std::int64_t>& min_priority) {
  std::map<std::string, std::set<interval>> found;
  for (const auto& l : locks)
    if (auto it = min_priority.find(l.data_source); it != min_priority.end() && l.priority >= it->second)
      found[l.data_source].insert(l.span);
  std::map<std::string, std::vector<interval>> out;
  for (auto& [ds, spans] : found)
    out[ds].assign(spans.begin(), spans.end());
  return out;
}

} // namespace compactsim::sim::druid
