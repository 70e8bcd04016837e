#pragma once
//! Doris-style debug points on a simulated BE: named switches with an
//! optional timeout, execution count and parameters
//! (POST /api/debug_point/add/{name}?timeout=&execute=&k=v). The model checks
//! its points where Doris checks DBUG_EXECUTE_IF:
//!   Compaction.failed (percent, default 1): a finishing compaction fails;
//!   TxnManager.prepare_txn.random_failed (percent, default 0.5): a load's prepare fails;
//!   CompactionAction._handle_run_compaction.submit_cumu_task: the 2.1 run answer says "debug compaction task".

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sim/doris/types.hpp"

namespace compactsim::sim {

struct debug_point {
  std::optional<time_ms> expires_at;        ///< from ?timeout= (seconds)
  std::optional<std::int64_t> remaining;    ///< from ?execute=
  std::map<std::string, std::string> params;
};

class debug_points {
public:
  void add(const std::string& name, debug_point p) { points_[name] = std::move(p); }
  bool remove(const std::string& name) { return points_.erase(name) > 0; }
  void clear() { points_.clear(); }
  bool empty() const { return points_.empty(); }

  /// True when `name` is enabled at `now`; counts one execution.
  bool check(const std::string& name, time_ms now) {
    auto it = points_.find(name);
    if (it == points_.end())
      return false;
    auto& p = it->second;
    if (p.expires_at && now >= *p.expires_at) {
      points_.erase(it);
      return false;
    }
    if (p.remaining && --*p.remaining <= 0) {
      points_.erase(it);
      return true;
    }
    return true;
  }

  /// A numeric parameter of `name`, or `fallback`.
  double param(const std::string& name, const std::string& key, double fallback) const {
    auto it = points_.find(name);
    if (it == points_.end())
      return fallback;
    auto p = it->second.params.find(key);
    if (p == it->second.params.end())
      return fallback;
    try {
      return std::stod(p->second);
    } catch (const std::exception&) {
      return fallback;
    }
  }

private:
  std::map<std::string, debug_point> points_;
};

} // namespace compactsim::sim
