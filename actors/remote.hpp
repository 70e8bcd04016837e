#pragma once
//! Backends in other processes, over CAF's own network layer (caf::io).
//!
//!   serve  opens the node port (--node-port, on --bind) behind a gate that
//!          wants --auth's secret proven first (actors/node_link.hpp), and
//!          hands each proven connection to CAF with the registry actor.
//!   node   connects and asks to join with N backends; the offer names the
//!          backend slots it takes, the cluster config and seed (so it builds
//!          those BEs' models exactly as serve would) and simulated time.
//!          It spawns them, attaches each, and serves their HTTP ports.
//!   serve  points the coordinator, router and control API at the attached
//!          BEs, monitors them and re-publishes the versions they missed.
//!
//! A node process that dies is a real crash: the registry's down message
//! frees its slots (requests to them fail, /readyz says why), and the next
//! node that joins takes them. A slot's BE attaches only from the process it
//! was offered to. Everything that crosses is plain values (the types
//! announced by enable_remote, the offer by its `inspect`) or actor handles.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/sim_clock.hpp"

namespace compactsim::actors {

/// Loads the middleman and announces the types that cross processes.
void enable_remote(caf::actor_system_config& cfg);

/// What a joining node needs to build its backends as serve did, and the
/// limits serve's own listeners keep (the node's BE ports keep them too).
struct join_offer {
  std::string config_text;          ///< serve's config file; empty: the built-in cluster
  std::uint64_t seed = 0;
  sim::time_ms epoch_ms = 0;        ///< the cluster's start (its initial rowsets' times)
  sim::time_ms now_ms = 0;          ///< simulated time at the offer
  double speed = 1;
  std::vector<std::int32_t> slots;  ///< backend indexes the node hosts
  std::uint64_t body_limit = 1 << 20;
  std::uint64_t header_limit = 16 << 10;
  std::int64_t read_timeout_ms = 30'000;
  std::int64_t idle_timeout_ms = 60'000;
  std::uint64_t max_connections = 1024;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_offer& x) {
  return f(caf::meta::type_name("join_offer"), x.config_text, x.seed, x.epoch_ms, x.now_ms, x.speed, x.slots,
           x.body_limit, x.header_limit, x.read_timeout_ms, x.idle_timeout_ms, x.max_connections);
}

/// How the registry reaches the rest of serve (called on its actor thread).
struct registry_hooks {
  /// A node's BE `slot` is up at `be`, spawned by the node's `host`.
  std::function<void(std::int32_t slot, backend_actor be, caf::actor host)> attached;
  /// BE `slot` went away (its process died, or a crash fault).
  std::function<void(std::int32_t slot)> detached;
};

struct registry_state {
  join_offer offer;                                   ///< slots: every remote slot
  sim_clock clock;
  registry_hooks hooks;
  std::map<std::int32_t, caf::actor_addr> hosted;     ///< slot -> the BE attached there
  /// slot -> the node process's joiner it was offered to, for as long as that
  /// process lives: only a BE from that process may attach there (again,
  /// after a crash fault), so no node takes over another's slot.
  std::map<std::int32_t, caf::actor_addr> owner;

  static inline const char* name = "node-registry";
};

/// The serve side: hands remote slots to joining nodes and wires their BEs in.
caf::behavior node_registry(caf::stateful_actor<registry_state>* self, join_offer offer, sim_clock clock,
                            registry_hooks hooks);

} // namespace compactsim::actors
