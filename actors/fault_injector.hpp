#pragma once
//! One implementation of every fault, used by the scenario runner (on the
//! deterministic scheduler) and by the live control API: each fault is a
//! message or a job to the actors that own the state, so it is safe on any
//! scheduler. Timing (when to heal) belongs to the caller.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/cluster.hpp"
#include "sim/core/fault_spec.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::actors {

class fault_injector {
public:
  struct active_fault {
    sim::fault_spec spec;
    std::vector<std::string> nodes;        ///< resolved targets (every group's, for a partition), sorted
    std::vector<std::vector<std::string>> groups; ///< partition: the resolved groups
    std::optional<sim::time_ms> heal_at;   ///< absolute simulated time
  };

  /// `seed` drives the random target choices (be:random, be:minority, ...).
  fault_injector(caf::actor_system& sys, cluster& c, std::uint64_t seed);

  /// Applies `f` at simulated time `now`; returns the fault as applied.
  /// Instantaneous faults (corrupt_delete_bitmap) are not kept as active.
  active_fault inject(const sim::fault_spec& f, sim::time_ms now);
  /// Undoes one active fault; false when there is none with that id.
  bool heal(const std::string& id);
  /// Undoes every active fault; returns their ids.
  std::vector<std::string> heal_all();

  const std::map<std::string, active_fault>& active() const { return active_; }
  bool backend_down(std::size_t i) const { return crashed_bes_.count(i) > 0; }
  bool worker_down(std::size_t w) const { return crashed_workers_.count(w) > 0; }
  bool backend_paused(std::size_t i) const { return paused_.count("be:" + std::to_string(i)) > 0; }

private:
  std::vector<std::size_t> resolve(const std::string& target, std::size_t n);
  /// Node names ("be:2", "overlord", ...) for a list of targets, sorted.
  std::vector<std::string> resolve_nodes(const std::vector<std::string>& targets);
  void add_link_rules(const active_fault& f);
  /// Applies (or, with `on` false, undoes) a kind that holds while active on one node.
  void apply(const sim::fault_spec& f, const std::string& node, bool on);
  /// After a BE restart: its model's fault state becomes the active faults' again.
  void resync_backend_faults(std::size_t i, const std::string& node);

  caf::actor_system& sys_;
  cluster& cluster_;
  sim::rng rng_;
  std::map<std::string, active_fault> active_;
  std::map<std::size_t, std::set<std::string>> crashed_bes_, crashed_workers_; ///< node -> crash faults on it
  std::map<std::string, std::set<std::string>> paused_;                       ///< node -> pause faults on it
};

} // namespace compactsim::actors
