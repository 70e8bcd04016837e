#include "sim/core/fault_spec.hpp"

namespace compactsim::sim {

std::string_view to_string(fault_kind k) {
  switch (k) {
    case fault_kind::crash: return "crash";
    case fault_kind::pause: return "pause";
    case fault_kind::partition: return "partition";
    case fault_kind::delay: return "delay";
    case fault_kind::drop: return "drop";
    case fault_kind::duplicate: return "duplicate";
    case fault_kind::clock_skew: return "clock_skew";
    case fault_kind::slow_disk: return "slow_disk";
    case fault_kind::compaction_failure: return "compaction_failure";
    case fault_kind::disk_full: return "disk_full";
    case fault_kind::task_failure: return "task_failure";
    case fault_kind::corrupt_delete_bitmap: return "corrupt_delete_bitmap";
  }
  return "unknown";
}

std::optional<fault_kind> parse_fault_kind(std::string_view name) {
  for (auto k : all_fault_kinds)
    if (to_string(k) == name)
      return k;
  return std::nullopt;
}

bool is_link_fault(fault_kind k) {
  return k == fault_kind::partition || k == fault_kind::delay || k == fault_kind::drop || k == fault_kind::duplicate;
}

bool is_backend_state(fault_kind k) {
  return k == fault_kind::slow_disk || k == fault_kind::compaction_failure || k == fault_kind::disk_full ||
         k == fault_kind::clock_skew;
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

fault_params default_params(fault_kind k) {
  switch (k) {
    case fault_kind::crash: return faults::crash{};
    case fault_kind::pause: return faults::pause{};
    case fault_kind::partition: return faults::partition{};
    case fault_kind::delay: return faults::delay{};
    case fault_kind::drop: return faults::drop{};
    case fault_kind::duplicate: return faults::duplicate{};
    case fault_kind::clock_skew: return faults::clock_skew{};
    case fault_kind::slow_disk: return faults::slow_disk{};
    case fault_kind::compaction_failure: return faults::compaction_failure{};
    case fault_kind::disk_full: return faults::disk_full{};
    case fault_kind::task_failure: return faults::task_failure{};
    case fault_kind::corrupt_delete_bitmap: return faults::corrupt_delete_bitmap{};
  }
  return faults::crash{};
}

const std::vector<std::vector<std::string>>& fault_spec::groups() const {
  static const std::vector<std::vector<std::string>> none;
  const auto* p = as<faults::partition>();
  return p ? p->groups : none;
}

std::string unmatched_target(const fault_spec& f, const node_counts& n) {
  for (const auto& t : f.targets)
    if (auto e = check_target(t, n); !e.empty())
      return e;
  for (const auto& g : f.groups())
    for (const auto& t : g)
      if (auto e = check_target(t, n); !e.empty())
        return e;
  return {};
}

} // namespace compactsim::sim
