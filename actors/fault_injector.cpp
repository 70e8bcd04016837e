#include "actors/fault_injector.hpp"

#include <algorithm>

#include <caf/send.hpp>

namespace compactsim::actors {

namespace {

/// Drops fault `id`'s crash of node `i`; true when no crash holds it down any more.
bool release(std::map<std::size_t, std::set<std::string>>& crashed, std::size_t i, const std::string& id) {
  auto it = crashed.find(i);
  if (it == crashed.end() || !it->second.erase(id))
    return false;
  if (!it->second.empty())
    return false;
  crashed.erase(it);
  return true;
}

} // namespace

fault_injector::fault_injector(caf::actor_system& sys, cluster& c, std::uint64_t seed)
  : sys_(sys), cluster_(c), rng_(seed) {}

std::vector<std::size_t> fault_injector::resolve(const std::string& target, std::size_t n) {
  auto which = target.substr(target.find(':') + 1);
  if (n == 0)
    return {};
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i)
    all[i] = i;
  if (which == "all")
    return all;
  if (which == "random")
    return {static_cast<std::size_t>(rng_.below(n))};
  if (which == "minority" || which == "majority") {
    std::size_t k = which == "minority" ? std::max<std::size_t>(1, (n - 1) / 2) : n / 2 + 1;
    // A seeded shuffle, then the first k, in index order.
    for (std::size_t i = n - 1; i > 0; --i)
      std::swap(all[i], all[static_cast<std::size_t>(rng_.below(i + 1))]);
    all.resize(std::min(k, n));
    std::sort(all.begin(), all.end());
    return all;
  }
  auto i = static_cast<std::size_t>(std::stoul(which));
  return i < n ? std::vector<std::size_t>{i} : std::vector<std::size_t>{};
}

void fault_injector::on_backend(std::size_t i, backend_job job) {
  caf::anon_send(cluster_.backends.at(i), exec_atom::value, std::move(job));
}

fault_injector::active_fault fault_injector::inject(const sim::fault_spec& spec, sim::time_ms now) {
  // A second fault under an active id gets its own id, so each heals apart.
  auto f = spec;
  for (int n = 2; active_.count(f.id); ++n)
    f.id = spec.id + "-" + std::to_string(n);
  active_fault af{f, {}, std::nullopt};
  if (f.duration)
    af.heal_at = now + *f.duration;
  for (const auto& target : f.targets) {
    if (target == "overlord") {
      af.nodes.push_back(target);
      continue;
    }
    bool worker = target.starts_with("worker:");
    for (auto i : resolve(target, worker ? cluster_.druid_workers.size() : cluster_.backends.size()))
      af.nodes.push_back((worker ? "worker:" : "be:") + std::to_string(i));
  }
  std::sort(af.nodes.begin(), af.nodes.end());
  af.nodes.erase(std::unique(af.nodes.begin(), af.nodes.end()), af.nodes.end());
  for (const auto& node : af.nodes) {
    if (node == "overlord") {
      if (f.kind == "task_failure" && cluster_.druid_overlord)
        caf::anon_send(cluster_.druid_overlord, exec_atom::value,
                       overlord_job{[p = f.probability](sim::druid::overlord& o, sim::time_ms) {
                         o.task_failure_probability() = p;
                       }});
      continue;
    }
    auto i = static_cast<std::size_t>(std::stoul(node.substr(node.find(':') + 1)));
    if (node.starts_with("worker:")) {
      if (f.kind == "crash") {
        auto& owners = crashed_workers_[i];
        if (owners.empty())
          crash_worker(cluster_, i);
        owners.insert(f.id);
      }
      continue;
    }
    if (f.kind == "crash") {
      auto& owners = crashed_bes_[i];
      if (owners.empty())
        crash_backend(cluster_, i);
      owners.insert(f.id);
    } else if (f.kind == "partition") {
      caf::anon_send(cluster_.coordinator, partition_atom::value, static_cast<std::int32_t>(i), true);
    } else if (f.kind == "slow_disk") {
      on_backend(i, [x = f.factor](sim::backend_model& m, sim::time_ms) { m.faults().slowdown = x; });
    } else if (f.kind == "compaction_failure") {
      on_backend(i, [p = f.probability](sim::backend_model& m, sim::time_ms) { m.faults().failure_probability = p; });
    } else if (f.kind == "disk_full") {
      on_backend(i, [](sim::backend_model& m, sim::time_ms) { m.faults().disk_full = true; });
    } else if (f.kind == "corrupt_delete_bitmap") {
      on_backend(i, [table = f.table, rows = f.rows](sim::backend_model& m, sim::time_ms) {
        std::int64_t n = 0;
        m.corrupt_delete_bitmap(table, rows, n);
      });
    }
  }
  if (f.kind != "corrupt_delete_bitmap")
    active_.insert_or_assign(f.id, af);
  return af;
}

bool fault_injector::heal(const std::string& id) {
  auto it = active_.find(id);
  if (it == active_.end())
    return false;
  const auto& f = it->second.spec;
  for (const auto& node : it->second.nodes) {
    if (node == "overlord") {
      if (cluster_.druid_overlord)
        caf::anon_send(cluster_.druid_overlord, exec_atom::value,
                       overlord_job{[](sim::druid::overlord& o, sim::time_ms) { o.task_failure_probability() = 0; }});
      continue;
    }
    auto i = static_cast<std::size_t>(std::stoul(node.substr(node.find(':') + 1)));
    if (node.starts_with("worker:")) {
      if (f.kind == "crash" && release(crashed_workers_, i, id))
        restart_worker(sys_, cluster_, i);
      continue;
    }
    if (f.kind == "crash") {
      if (release(crashed_bes_, i, id))
        restart_backend(sys_, cluster_, i);
    } else if (f.kind == "partition") {
      caf::anon_send(cluster_.coordinator, partition_atom::value, static_cast<std::int32_t>(i), false);
    } else if (f.kind == "slow_disk") {
      on_backend(i, [](sim::backend_model& m, sim::time_ms) { m.faults().slowdown = 1; });
    } else if (f.kind == "compaction_failure") {
      on_backend(i, [](sim::backend_model& m, sim::time_ms) { m.faults().failure_probability = 0; });
    } else if (f.kind == "disk_full") {
      on_backend(i, [](sim::backend_model& m, sim::time_ms) { m.faults().disk_full = false; });
    }
  }
  active_.erase(it);
  return true;
}

std::vector<std::string> fault_injector::heal_all() {
  std::vector<std::string> ids;
  for (const auto& [id, f] : active_)
    ids.push_back(id);
  for (const auto& id : ids)
    heal(id);
  return ids;
}

} // namespace compactsim::actors
