#include "http/request_metrics.hpp"

#include <cstdio>
#include <sstream>

namespace compactsim::http {

namespace {

/// A label value with Prometheus's escapes.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

} // namespace

void request_metrics::record(std::string_view listener, std::string_view method, std::string_view route,
                             unsigned status, std::chrono::microseconds took) {
  auto seconds = static_cast<double>(took.count()) / 1e6;
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

std::string request_metrics::prometheus() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::ostringstream out;
  out << "# HELP compactsim_http_requests_total HTTP requests answered, by listener, method, route and status "
         "(status 0: the connection was dropped).\n"
      << "# TYPE compactsim_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [listener, method, route, status] = key;
    out << "compactsim_http_requests_total{listener=\"" << label(listener) << "\",method=\"" << label(method)
        << "\",route=\"" << label(route) << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP compactsim_http_request_duration_seconds Time from a request's arrival to its answer.\n"
      << "# TYPE compactsim_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const auto& [listener, method, route] = key;
    auto labels = "listener=\"" + label(listener) + "\",method=\"" + label(method) + "\",route=\"" + label(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      cumulative += h.counts[i];
      out << "compactsim_http_request_duration_seconds_bucket{" << labels << ",le=\"" << number(buckets[i]) << "\"} "
          << cumulative << "\n";
    }
    out << "compactsim_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << "compactsim_http_request_duration_seconds_sum{" << labels << "} " << number(h.sum) << "\n";
    out << "compactsim_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  return out.str();
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
