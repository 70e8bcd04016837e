#include "actors/doris/fe_coordinator.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include "sim/doris/bootstrap.hpp"

namespace compactsim::actors {

namespace {

using self_ptr = fe_coordinator_actor::stateful_pointer<fe_coordinator_state>;

/// The time to workload `i`'s next load: 1/loads_per_second, varied within
/// its interval_jitter by the workload's own stream of the cluster's seed.
sim::time_ms next_interval(fe_coordinator_state& st, std::uint64_t i) {
  const auto& w = st.config.doris.workloads.at(i);
  double ms = 1000.0 / w.loads_per_second;
  if (w.interval_jitter > 0)
    ms *= 1.0 + w.interval_jitter * (2.0 * st.workload_timing.at(i).unit() - 1.0);
  return std::max<sim::time_ms>(1, static_cast<sim::time_ms>(ms));
}

constexpr sim::time_ms rpc_timeout_ms = 10'000;
constexpr sim::time_ms publish_retry_ms = 5'000;

/// Publishes one version to one backend, again after a pause until it answers.
void publish_to(self_ptr self, std::size_t b, std::int64_t table, const sim::load_spec& spec) {
  auto& st = self->state;
  net_request<bool>(
    self, st.net, st.clock, "fe", st.names[b], st.backends[b], rpc_timeout_ms, rpc_timeout_ms, [](bool) {},
    [=](const caf::error&) {
      ++self->state.publish_retries;
      defer(self, self->state.clock, publish_retry_ms, [=] { publish_to(self, b, table, spec); });
    },
    load_commit_atom::value, table, spec);
}

/// Commits version v+1 to every holder once all of them prepared it.
/// The load of `version`: a DELETE (a delete predicate: no rows, no
/// segments) when it was published as one.
sim::load_spec spec_of(const fe_coordinator_state& st, std::int64_t table, std::int64_t version) {
  const auto* t = st.catalog.table(table);
  auto spec = sim::load_for(st.config.doris, table, version, t->buckets, st.config.seed);
  if (auto d = st.delete_versions.find(table); d != st.delete_versions.end() && d->second.contains(version)) {
    spec.is_delete = true;
    spec.rows = 0;
    spec.superseding_ratio = 0;
  }
  return spec;
}

void commit(self_ptr self, std::int64_t table, bool is_delete) {
  auto& st = self->state;
  auto version = ++st.versions[table];
  if (is_delete)
    st.delete_versions[table].insert(version);
  auto spec = spec_of(st, table, version);
  for (auto b : st.holders[table])
    publish_to(self, b, table, spec);
  ++st.published;
}

void run_load(self_ptr self, std::int64_t table, bool is_delete) {
  auto& holders = self->state.holders[table];
  if (holders.empty())
    return;
  struct pending {
    std::size_t waiting;
    bool failed = false;
  };
  auto p = std::make_shared<pending>(pending{holders.size()});
  auto on_reply = [=](bool ok) {
    p->failed |= !ok;
    if (--p->waiting > 0)
      return;
    if (p->failed)
      ++self->state.rejected;
    else
      commit(self, table, is_delete);
  };
  auto& st = self->state;
  for (auto b : holders)
    net_request<sim::status>(
      self, st.net, st.clock, "fe", st.names[b], st.backends[b], rpc_timeout_ms, rpc_timeout_ms,
      [=](const sim::status& s) { on_reply(s.ok()); }, [=](const caf::error&) { on_reply(false); },
      load_prep_atom::value, table);
}

} // namespace

fe_coordinator_actor::behavior_type fe_coordinator(self_ptr self, sim::cluster_config config, sim::catalog catalog,
                                             std::vector<backend_actor> backends, sim_clock clock, network net) {
  auto& st = self->state;
  st.clock = clock;
  st.net = std::move(net);
  for (std::size_t i = 0; i < backends.size(); ++i)
    st.names.push_back("be:" + std::to_string(i));
  st.versions = sim::initial_versions(catalog);
  for (const auto& t : catalog.tablets) {
    std::set<std::size_t> holders(st.holders[t.table_id].begin(), st.holders[t.table_id].end());
    for (int b : t.backends)
      holders.insert(static_cast<std::size_t>(b));
    st.holders[t.table_id].assign(holders.begin(), holders.end());
  }
  st.config = std::move(config);
  st.catalog = std::move(catalog);
  st.backends = std::move(backends);
  sim::rng timing{st.config.seed ^ 0x10adULL};
  for (std::uint64_t i = 0; i < st.config.doris.workloads.size(); ++i)
    st.workload_timing.push_back(timing.fork(i));
  for (std::uint64_t i = 0; i < st.config.doris.workloads.size(); ++i)
    if (st.config.doris.workloads[i].loads_per_second > 0)
      self->delayed_send(self, st.clock.delay(next_interval(st, i)), workload_atom::value, i);
  return {
    [=](workload_atom, std::uint64_t i) {
      const auto& w = self->state.config.doris.workloads.at(i);
      auto n = ++self->state.workload_loads[i];
      run_load(self, w.table, w.delete_every > 0 && n % static_cast<std::uint64_t>(w.delete_every) == 0);
      self->delayed_send(self, self->state.clock.delay(next_interval(self->state, i)), workload_atom::value, i);
    },
    [=](stats_atom) { return std::make_tuple(self->state.published, self->state.rejected); },
    [=](load_now_atom, std::int64_t table, std::int32_t count, bool is_delete) {
      for (std::int32_t i = 0; i < count; ++i)
        run_load(self, table, is_delete);
    },
    [=](deferred_atom, const deferred_fn& fn) { fn(); },
    [=](catch_up_atom, std::int32_t index) {
      // A BE that (re)joined with only its initial rowsets: every version
      // published since goes to it again; it ignores what it already has and
      // applies the rest in order (Doris: clone of the missing versions).
      auto& st = self->state;
      if (index < 0 || static_cast<std::size_t>(index) >= st.backends.size())
        return;
      auto b = static_cast<std::size_t>(index);
      auto initial = sim::initial_versions(st.catalog);
      for (const auto& [table, holders] : st.holders) {
        if (!std::binary_search(holders.begin(), holders.end(), b))
          continue;
        for (auto v = initial[table] + 1; v <= st.versions[table]; ++v)
          publish_to(self, b, table, spec_of(st, table, v));
      }
    },
    [=](set_backend_atom, std::int32_t index, backend_actor be) {
      if (index >= 0 && static_cast<std::size_t>(index) < self->state.backends.size())
        self->state.backends[static_cast<std::size_t>(index)] = std::move(be);
    },
  };
}

} // namespace compactsim::actors
