#pragma once
//! The simulated network between nodes, as Jepsen's nemeses and toxiproxy's
//! toxics see it: rules, each owned by one fault, that cut links (both ways
//! or one way), delay messages with jitter, and drop or duplicate them with a
//! probability. Pure: the seeded generator is drawn only when a rule matches,
//! so a run without network faults draws nothing.
//!
//! Nodes are named as fault targets are: "fe" (the Doris coordinator),
//! "be:N", "coordinator" (Druid's), "overlord", "worker:N".

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace compactsim::sim {

struct link_rule {
  enum class kind { cut, delay, drop, duplicate };
  kind what = kind::cut;
  /// cut: messages from a node of `from` to a node of `to` are lost.
  /// The others: any message with an end in `from` (`to` unused).
  std::set<std::string, std::less<>> from, to;
  time_ms delay = 0;      ///< delay
  time_ms jitter = 0;     ///< delay: uniform in [-jitter, +jitter] on top
  double probability = 1; ///< drop, duplicate
};

/// What happens to one message.
struct link_decision {
  bool drop = false;
  bool duplicate = false;
  time_ms delay = 0;
};

class network_model {
public:
  explicit network_model(std::uint64_t seed) : rng_(seed) {}

  /// Adds a rule under fault `id` (a fault may own several).
  void add(const std::string& id, link_rule rule) { rules_[id].push_back(std::move(rule)); }
  bool remove(const std::string& id) { return rules_.erase(id) > 0; }
  void clear() { rules_.clear(); }
  bool empty() const { return rules_.empty(); }

  /// The fate of one message from `from` to `to`, rules applied in id order.
  link_decision decide(std::string_view from, std::string_view to);
  /// Whether a cut rule separates `from` from `to` (no randomness drawn).
  bool cut(std::string_view from, std::string_view to) const;

private:
  void apply(const link_rule& r, std::string_view from, std::string_view to, link_decision& d);

  std::map<std::string, std::vector<link_rule>> rules_;
  rng rng_;
};

} // namespace compactsim::sim
