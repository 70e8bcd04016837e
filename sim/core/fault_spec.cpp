#include "sim/core/fault_spec.hpp"

namespace compactsim::sim {

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds{"crash",     "pause",      "partition",         "delay",
                                              "drop",      "duplicate",  "clock_skew",        "slow_disk",
                                              "compaction_failure", "disk_full", "task_failure",
                                              "corrupt_delete_bitmap"};
  return kinds;
}

} // namespace compactsim::sim
