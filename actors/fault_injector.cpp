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

std::vector<std::string> fault_injector::resolve_nodes(const std::vector<std::string>& targets) {
  std::vector<std::string> nodes;
  for (const auto& target : targets) {
    if (target == "fe" || target == "coordinator" || target == "overlord") {
      if (target == "fe" || cluster_.druid_overlord)
        nodes.push_back(target);
      continue;
    }
    bool worker = target.starts_with("worker:");
    for (auto i : resolve(target, worker ? cluster_.druid_workers.size() : cluster_.backends.size()))
      nodes.push_back((worker ? "worker:" : "be:") + std::to_string(i));
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

void fault_injector::add_link_rules(const active_fault& af) {
  using kind = sim::link_rule::kind;
  const auto& f = af.spec;
  auto set_of = [](const std::vector<std::string>& v) { return std::set<std::string, std::less<>>(v.begin(), v.end()); };
  if (const auto* p = f.as<sim::faults::partition>()) {
    if (af.groups.empty()) {
      // The targets against everyone else, both ways.
      std::vector<std::string> rest;
      for (const auto& n : node_names(cluster_))
        if (!std::binary_search(af.nodes.begin(), af.nodes.end(), n))
          rest.push_back(n);
      cluster_.net.add(f.id, {kind::cut, set_of(af.nodes), set_of(rest)});
      cluster_.net.add(f.id, {kind::cut, set_of(rest), set_of(af.nodes)});
      return;
    }
    for (std::size_t i = 0; i < af.groups.size(); ++i)
      for (std::size_t j = 0; j < af.groups.size(); ++j)
        if (i != j && (!p->one_way || (i == 0 && j == 1)))
          cluster_.net.add(f.id, {kind::cut, set_of(af.groups[i]), set_of(af.groups[j])});
    return;
  }
  sim::link_rule r;
  r.from = set_of(af.nodes);
  if (const auto* d = f.as<sim::faults::delay>()) {
    r.what = kind::delay;
    r.delay = d->delay;
    r.jitter = d->jitter;
  } else if (const auto* d = f.as<sim::faults::drop>()) {
    r.what = kind::drop;
    r.probability = d->probability;
  } else if (const auto* d = f.as<sim::faults::duplicate>()) {
    r.what = kind::duplicate;
    r.probability = d->probability;
  }
  cluster_.net.add(f.id, std::move(r));
}

void fault_injector::apply(const sim::fault_spec& f, const std::string& node, bool on) {
  if (node == "overlord") {
    if (!cluster_.druid_overlord)
      return;
    if (const auto* t = f.as<sim::faults::task_failure>())
      caf::anon_send(cluster_.druid_overlord, failure_atom::value, on ? t->probability : 0.0);
    else if (const auto* c = f.as<sim::faults::clock_skew>())
      caf::anon_send(cluster_.druid_overlord, skew_atom::value, on ? c->skew : sim::time_ms{0});
    return;
  }
  if (node == "coordinator") {
    if (const auto* c = f.as<sim::faults::clock_skew>(); c && cluster_.druid_coordinator)
      caf::anon_send(cluster_.druid_coordinator, skew_atom::value, on ? c->skew : sim::time_ms{0});
    return;
  }
  if (node == "fe")
    return;
  auto i = static_cast<std::size_t>(std::stoul(node.substr(node.find(':') + 1)));
  // Pauses nest: the node resumes when the last pause on it heals.
  auto pause_changes = [&] {
    auto& owners = paused_[node];
    bool change = on ? owners.empty() : (owners.erase(f.id) > 0 && owners.empty());
    if (on)
      owners.insert(f.id);
    if (owners.empty())
      paused_.erase(node);
    return change;
  };
  if (node.starts_with("worker:")) {
    if (f.kind() == sim::fault_kind::crash && on) {
      auto& owners = crashed_workers_[i];
      if (owners.empty())
        crash_worker(cluster_, i);
      owners.insert(f.id);
    } else if (f.kind() == sim::fault_kind::crash) {
      if (release(crashed_workers_, i, f.id)) {
        restart_worker(sys_, cluster_, i);
        if (paused_.count(node))
          caf::anon_send(cluster_.druid_workers.at(i), pause_atom::value, true);
      }
    } else if (f.kind() == sim::fault_kind::pause && pause_changes() && !crashed_workers_.count(i)) {
      caf::anon_send(cluster_.druid_workers.at(i), pause_atom::value, on);
    }
    return;
  }
  if (f.kind() == sim::fault_kind::crash) {
    if (on) {
      auto& owners = crashed_bes_[i];
      if (owners.empty())
        crash_backend(cluster_, i);
      owners.insert(f.id);
    } else if (release(crashed_bes_, i, f.id)) {
      restart_backend(sys_, cluster_, i);
      resync_backend_faults(i, node);
      if (paused_.count(node))
        caf::anon_send(cluster_.backends.at(i), pause_atom::value, true);
    }
  } else if (f.kind() == sim::fault_kind::pause) {
    if (pause_changes() && !crashed_bes_.count(i))
      caf::anon_send(cluster_.backends.at(i), pause_atom::value, on);
  } else if (sim::is_backend_state(f.kind()) || f.kind() == sim::fault_kind::corrupt_delete_bitmap) {
    caf::anon_send(cluster_.backends.at(i), be_fault_atom::value, backend_fault_of(f, on));
  }
}

void fault_injector::resync_backend_faults(std::size_t i, const std::string& node) {
  // The restarted BE keeps its model, and with it the fault state it had
  // when it crashed; a heal sent while it was down reached no actor. Its
  // faults are what is active now: neutral first, then each active one.
  for (auto kind : sim::all_fault_kinds)
    if (sim::is_backend_state(kind))
      caf::anon_send(cluster_.backends.at(i), be_fault_atom::value, backend_fault{kind, false});
  for (const auto& [id, af] : active_)
    if (sim::is_backend_state(af.spec.kind()) && std::find(af.nodes.begin(), af.nodes.end(), node) != af.nodes.end())
      apply(af.spec, node, true);
}

fault_injector::active_fault fault_injector::inject(const sim::fault_spec& spec, sim::time_ms now) {
  // A second fault under an active id gets its own id, so each heals apart.
  auto f = spec;
  for (int n = 2; active_.count(f.id); ++n)
    f.id = spec.id + "-" + std::to_string(n);
  active_fault af{f, {}, {}, std::nullopt};
  if (f.duration)
    af.heal_at = now + *f.duration;
  if (f.groups().empty()) {
    af.nodes = resolve_nodes(f.targets);
  } else {
    for (const auto& g : f.groups()) {
      af.groups.push_back(resolve_nodes(g));
      af.nodes.insert(af.nodes.end(), af.groups.back().begin(), af.groups.back().end());
    }
    std::sort(af.nodes.begin(), af.nodes.end());
    af.nodes.erase(std::unique(af.nodes.begin(), af.nodes.end()), af.nodes.end());
  }
  if (sim::is_link_fault(f.kind()))
    add_link_rules(af);
  else
    for (const auto& node : af.nodes)
      apply(f, node, true);
  if (f.kind() != sim::fault_kind::corrupt_delete_bitmap) // a one-off: nothing to heal
    active_.insert_or_assign(f.id, af);
  return af;
}

bool fault_injector::heal(const std::string& id) {
  auto it = active_.find(id);
  if (it == active_.end())
    return false;
  const auto& f = it->second.spec;
  if (sim::is_link_fault(f.kind()))
    cluster_.net.remove(id);
  else
    for (const auto& node : it->second.nodes)
      apply(f, node, false);
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
