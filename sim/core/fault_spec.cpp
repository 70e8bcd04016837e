#include "sim/core/fault_spec.hpp"

namespace compactsim::sim {

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds{"crash",     "pause",      "partition",         "delay",
                                              "drop",      "duplicate",  "clock_skew",        "slow_disk",
                                              "compaction_failure", "disk_full", "task_failure",
                                              "corrupt_delete_bitmap"};
  return kinds;
}

namespace {

std::string check_target(const std::string& t, const node_counts& n) {
  if (t == "fe")
    return {};
  if (t == "coordinator" || t == "overlord")
    return n.druid ? std::string{} : "\"" + t + "\" names no node: the cluster has no Druid side";
  auto colon = t.find(':');
  if (colon == std::string::npos)
    return {};
  auto family = t.substr(0, colon), which = t.substr(colon + 1);
  auto count = family == "be" ? n.backends : family == "worker" ? n.workers : 0;
  if (which == "random" || which == "minority" || which == "majority" || which == "all")
    return count > 0 ? std::string{} : "\"" + t + "\" names no node: the cluster has no " + family;
  std::size_t i = 0;
  for (char c : which)
    i = i * 10 + static_cast<std::size_t>(c - '0');
  if (i < count)
    return {};
  return "\"" + t + "\" names no node: the cluster has " + std::to_string(count) + " " +
         (family == "be" ? "backends" : "workers") + " (" + family + ":0.." + family + ":" +
         std::to_string(count == 0 ? 0 : count - 1) + ")";
}

} // namespace

std::string unmatched_target(const fault_spec& f, const node_counts& n) {
  for (const auto& t : f.targets)
    if (auto e = check_target(t, n); !e.empty())
      return e;
  for (const auto& g : f.groups)
    for (const auto& t : g)
      if (auto e = check_target(t, n); !e.empty())
        return e;
  return {};
}

} // namespace compactsim::sim
