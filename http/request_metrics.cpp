#include "http/request_metrics.hpp"


namespace compactsim::http {

namespace {

/// The method label: one of HTTP's methods, or "other".
std::string_view method_label(std::string_view m) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
    if (m == known)
      return known;
  return "other";
}

} // namespace

void request_metrics::record(std::string_view listener, std::string_view method, std::string_view route,
                             unsigned status, std::chrono::microseconds took) {
  auto seconds = static_cast<double>(took.count()) / 1e6;
  method = method_label(method);
  std::lock_guard<std::mutex> guard{mutex_};
  ++requests_[{std::string{listener}, std::string{method}, std::string{route}, status}];
  auto& h = latency_[{std::string{listener}, std::string{method}, std::string{route}}];
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i]) {
      ++h.counts[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

std::vector<prometheus::family> request_metrics::families() const {
  std::lock_guard<std::mutex> guard{mutex_};
  prometheus::family requests{"compactsim_http_requests_total", "counter",
                              "HTTP requests answered, by listener, method, route and status "
                              "(status 0: the connection was dropped).", {}};
  for (const auto& [key, n] : requests_) {
    const auto& [listener, method, route, status] = key;
    requests.add({{"listener", listener}, {"method", method}, {"route", route}, {"status", std::to_string(status)}},
                 static_cast<double>(n));
  }
  prometheus::family latency{"compactsim_http_request_duration_seconds", "histogram",
                             "Time from a request's arrival to its answer.", {}};
  for (const auto& [key, h] : latency_) {
    const auto& [listener, method, route] = key;
    prometheus::label_set labels{{"listener", listener}, {"method", method}, {"route", route}};
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      cumulative += h.counts[i];
      auto with_le = labels;
      with_le.emplace_back("le", prometheus::number(buckets[i]));
      latency.add(std::move(with_le), static_cast<double>(cumulative), "_bucket");
    }
    auto inf = labels;
    inf.emplace_back("le", "+Inf");
    latency.add(std::move(inf), static_cast<double>(h.count), "_bucket");
    latency.add(labels, h.sum, "_sum");
    latency.add(labels, static_cast<double>(h.count), "_count");
  }
  return {std::move(requests), std::move(latency)};
}

answer_hook observer(const route_table& routes, std::string listener, request_metrics& metrics) {
  return [&routes, listener = std::move(listener), &metrics](std::string_view method, std::string_view target,
                                                             unsigned status, std::chrono::microseconds took) {
    request req;
    req.method = std::string{method};
    req.target = std::string{target};
    auto route = routes.route_of(req);
    metrics.record(listener, method, route.empty() ? "other" : route, status, took);
  };
}

} // namespace compactsim::http
