#pragma once
//! The dashboard on the control port: the page and its files at / and
//! /ui/{file}, and the compact JSON it polls (/sim/v1/dashboard with the
//! recent history of the charted figures, a tablet's rowsets, a datasource's
//! timeline, the fault vocabulary).

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// The charted figures at one simulated instant.
struct dashboard_sample {
  sim::time_ms t = 0;
  std::vector<std::uint32_t> cumulative, base;  ///< per BE: the highest score
  std::vector<std::int64_t> versions;           ///< per BE: the highest version count
  std::vector<std::int64_t> awaiting, compacted, skipped; ///< per charted datasource, bytes
};

/// The last `capacity` samples, one per poll that found simulated time
/// moved: nothing is gathered while no page is open.
class dashboard_history {
public:
  explicit dashboard_history(std::size_t capacity = 900) : capacity_(capacity) {}
  /// Adds a sample of `s` unless one at or after `s.now` exists; a reset
  /// (a new generation, or a different set of BEs or datasources) starts
  /// the history again.
  void record(const actors::dashboard_snapshot& s);
  /// Samples after `since`, and the datasources they chart (at most
  /// max_datasources, by name).
  std::vector<dashboard_sample> since(sim::time_ms since, std::vector<std::string>& datasources) const;
  static constexpr std::size_t max_datasources = 24;

private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::size_t backends_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<std::string> datasources_;
  std::deque<dashboard_sample> samples_;
};

/// Adds the dashboard's routes to the control API's table.
void add_dashboard_routes(route_table& t, actors::control_service& svc, std::shared_ptr<dashboard_history> history);

} // namespace compactsim::http
