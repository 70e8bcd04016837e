#pragma once
//! HTTP-level faults on the API listeners themselves, as toxiproxy and
//! WireMock offer them: rules matched by port and path prefix with a
//! probability, each answering with a status code, adding latency (with
//! jitter), resetting the connection, or never answering.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "http/message.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::http {

struct http_fault_rule {
  enum class action : std::uint8_t { status, latency, reset, no_reply, slow_body };
  std::string id;
  std::optional<std::uint16_t> port;   ///< any listener when absent
  std::string path = "/";              ///< a path prefix
  double probability = 1;
  action what = action::status;
  unsigned status = 503;
  std::string body = R"({"error":"injected by compactsim"})";
  std::int64_t latency_ms = 0;
  std::int64_t jitter_ms = 0;
  std::uint32_t bytes_per_second = 0;  ///< slow_body: the answer's body trickles out at this rate

  boost::json::object to_json() const;
};

/// Reads {"port", "path", "probability", and one of "status", "latency_ms"
/// (+ "jitter_ms"), "reset": true, "no_reply": true}.
std::optional<http_fault_rule> parse_http_fault(const boost::json::value& v, std::string& error);

/// The active rules; safe to use from any thread.
class http_fault_table {
public:
  /// Rules at once; POST /sim/v1/http-faults answers 409 beyond.
  static constexpr std::size_t max_rules = 1000;

  explicit http_fault_table(std::uint64_t seed) : rng_(seed) {}
  /// Adds `r` (a fresh id when it has none or a taken one); nullopt when the
  /// table already holds max_rules.
  std::optional<http_fault_rule> add(http_fault_rule r);
  bool remove(const std::string& id);
  std::vector<std::string> clear();
  std::vector<http_fault_rule> rules() const;
  /// The first rule matching the request, if its dice say so; with the latency to add.
  std::optional<std::pair<http_fault_rule, std::chrono::milliseconds>> roll(std::uint16_t port, std::string_view target);

private:
  mutable std::mutex mutex_;
  std::vector<http_fault_rule> rules_;
  sim::rng rng_;
  std::uint64_t next_id_ = 1;
};

/// Runs `fn` after `delay` (real time); the live server schedules it on the actor system.
using delay_fn = std::function<void(std::chrono::milliseconds, std::function<void()>)>;

/// `inner` behind the table's rules for listener `port`.
dispatcher with_http_faults(dispatcher inner, http_fault_table& table, std::uint16_t port, delay_fn delay);

} // namespace compactsim::http
