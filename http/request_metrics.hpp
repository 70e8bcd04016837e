#pragma once
//! HTTP requests as Prometheus counts them: per listener, method, route
//! (the route table's pattern, so ids do not explode the series) and status,
//! with a latency histogram per route. Safe from every Asio thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "http/message.hpp"
#include "http/prometheus.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

class request_metrics {
public:
  /// Prometheus's default buckets, in seconds.
  static constexpr std::array<double, 11> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /// One answered request; `status` 0 means the connection was dropped.
  /// A method outside HTTP's standard ones counts as "other", so no client
  /// can grow the series (or the memory) with made-up methods.
  void record(std::string_view listener, std::string_view method, std::string_view route, unsigned status,
              std::chrono::microseconds took);
  /// The counters and the latency histograms.
  std::vector<prometheus::family> families() const;
  /// The same as Prometheus text.
  std::string prometheus() const { return prometheus::render(families()); }

private:
  using route_key = std::tuple<std::string, std::string, std::string>; ///< listener, method, route
  struct histogram {
    std::array<std::uint64_t, buckets.size()> counts{}; ///< per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<route_key, histogram> latency_;
};

/// The hook a listener reports its answers to (server::listen): records each
/// under the route `routes` gives it, or "other" (unknown paths, requests the
/// parser refused).
answer_hook observer(const route_table& routes, std::string listener, request_metrics& metrics);

} // namespace compactsim::http
