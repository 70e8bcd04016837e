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

/// Arms the one workload timer for the earliest due load, unless it is
/// armed for that time already.
void arm_workloads(self_ptr self) {
  auto& st = self->state;
  if (st.due.empty())
    return;
  auto at = st.due.begin()->first;
  if (st.armed_at == at)
    return;
  st.armed_at = at;
  self->delayed_send(self, st.clock.until(st.clock.now(self->clock()), at), workload_atom::value, at);
}

/// Sends one backend a batch of publishes, again after a pause until it
/// answers (PublishVersionDaemon retries a transaction's unfinished tasks).
void publish_to(self_ptr self, std::size_t b, std::vector<sim::table_load> batch) {
  auto& st = self->state;
  net_request<bool>(
    self, st.net, st.clock, "fe", st.names[b], st.backends[b], rpc_timeout_ms, rpc_timeout_ms, [](bool) {},
    [=](const caf::error&) {
      ++self->state.publish_retries;
      defer(self, self->state.clock, publish_retry_ms, [=] { publish_to(self, b, batch); });
    },
    load_commit_atom::value, batch);
}

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

/// Commits version v+1 of `table` to every holder: queued per backend, and
/// sent by flush_publishes as one batch each.
void commit(self_ptr self, std::int64_t table, bool is_delete) {
  auto& st = self->state;
  auto version = ++st.versions[table];
  if (is_delete)
    st.delete_versions[table].insert(version);
  auto spec = spec_of(st, table, version);
  for (auto b : st.holders[table])
    st.outbox[b].push_back({table, spec});
  ++st.published;
}

/// PublishVersionDaemon#publishVersion gathers the ready transactions'
/// PublishVersionTasks into one AgentBatchTask, which sends each backend
/// its tasks in one submit_tasks call: one message per backend here too.
void flush_publishes(self_ptr self) {
  auto outbox = std::move(self->state.outbox);
  self->state.outbox.clear();
  for (auto& [b, batch] : outbox)
    publish_to(self, b, std::move(batch));
}

/// Prepares loads into `tables` (in order, a table once per load) on every
/// backend holding them, one request per backend, and commits each load
/// once all of its holders prepared it.
void run_loads(self_ptr self, const std::vector<std::pair<std::int64_t, bool>>& loads) {
  auto& st = self->state;
  struct pending {
    std::int64_t table = 0;
    bool is_delete = false;
    std::size_t waiting = 0;
    bool failed = false;
  };
  auto round = std::make_shared<std::vector<pending>>();
  std::map<std::size_t, std::vector<std::size_t>> asks; // backend -> indexes into *round
  for (const auto& [table, is_delete] : loads) {
    const auto& holders = st.holders[table];
    if (holders.empty())
      continue;
    for (auto b : holders)
      asks[b].push_back(round->size());
    round->push_back({table, is_delete, holders.size()});
  }
  for (auto& ask : asks) {
    auto b = ask.first;
    auto entries = std::move(ask.second); // a plain local: clang 14 cannot capture a structured binding
    std::vector<std::int64_t> tables;
    for (auto e : entries)
      tables.push_back((*round)[e].table);
    auto on_reply = [=](const std::vector<sim::status>* answers) {
      for (std::size_t k = 0; k < entries.size(); ++k) {
        auto& p = (*round)[entries[k]];
        p.failed |= answers == nullptr || k >= answers->size() || !(*answers)[k].ok();
        if (--p.waiting > 0)
          continue;
        if (p.failed)
          ++self->state.rejected;
        else
          commit(self, p.table, p.is_delete);
      }
      flush_publishes(self);
    };
    net_request<std::vector<sim::status>>(
      self, st.net, st.clock, "fe", st.names[b], st.backends[b], rpc_timeout_ms, rpc_timeout_ms,
      [=](const std::vector<sim::status>& answers) { on_reply(&answers); },
      [=](const caf::error&) { on_reply(nullptr); }, load_prep_atom::value, std::move(tables));
  }
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
  auto timing = sim::derive(st.config.seed, sim::seed_stream::load_timing);
  for (std::uint64_t i = 0; i < st.config.doris.workloads.size(); ++i)
    st.workload_timing.push_back(timing.fork(i));
  auto start = st.clock.now(self->clock());
  for (std::uint64_t i = 0; i < st.config.doris.workloads.size(); ++i)
    if (st.config.doris.workloads[i].loads_per_second > 0)
      st.due.emplace(start + next_interval(st, i), i);
  arm_workloads(self);
  return {
    [=](workload_atom, sim::time_ms at) {
      // Every load due by then runs in one round; each workload's next one
      // is its interval after this round (after now, if the round is late).
      auto& st = self->state;
      if (at != st.armed_at)
        return;
      st.armed_at = -1;
      auto base = std::max(at, st.clock.now(self->clock()));
      std::vector<std::pair<std::int64_t, bool>> loads;
      while (!st.due.empty() && st.due.begin()->first <= at) {
        auto i = st.due.begin()->second;
        st.due.erase(st.due.begin());
        const auto& w = st.config.doris.workloads.at(i);
        auto n = ++st.workload_loads[i];
        loads.emplace_back(w.table, w.delete_every > 0 && n % static_cast<std::uint64_t>(w.delete_every) == 0);
        st.due.emplace(base + next_interval(st, i), i);
      }
      run_loads(self, loads);
      arm_workloads(self);
    },
    [=](stats_atom) { return std::make_tuple(self->state.published, self->state.rejected); },
    [=](load_now_atom, std::int64_t table, std::int32_t count, bool is_delete) {
      std::vector<std::pair<std::int64_t, bool>> loads;
      for (std::int32_t i = 0; i < count; ++i)
        loads.emplace_back(table, is_delete);
      run_loads(self, loads);
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
      std::vector<sim::table_load> batch;
      for (const auto& [table, holders] : st.holders) {
        if (!std::binary_search(holders.begin(), holders.end(), b))
          continue;
        for (auto v = initial[table] + 1; v <= st.versions[table]; ++v)
          batch.push_back({table, spec_of(st, table, v)});
      }
      if (!batch.empty())
        publish_to(self, b, std::move(batch));
    },
    [=](set_backend_atom, std::int32_t index, backend_actor be) {
      if (index >= 0 && static_cast<std::size_t>(index) < self->state.backends.size())
        self->state.backends[static_cast<std::size_t>(index)] = std::move(be);
    },
  };
}

} // namespace compactsim::actors
