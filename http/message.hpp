#pragma once
//! Transport-neutral HTTP request and response. The live Beast listeners and
//! the scenario runner's HTTP steps both build these, so the route table and
//! its handlers never see a socket.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace compactsim::http {

/// One header field; names are kept as received (compare case-insensitively).
using header = std::pair<std::string, std::string>;

/// A request as the handlers see it.
struct request {
  std::string method;          ///< "GET", "POST", ... (upper case, as sent)
  std::string target;          ///< raw request target, e.g. "/api/x?y=1"
  std::vector<header> headers; ///< in arrival order
  std::string body;
  std::string remote_address;  ///< client IP, "" when not from a socket
  std::uint16_t local_port = 0;///< the listener's port, 0 when not from a socket

  /// Value of the first header named `name` (case-insensitive).
  std::optional<std::string_view> find_header(std::string_view name) const;
};

/// A response as the handlers produce it.
struct response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<header> headers; ///< extra fields, e.g. WWW-Authenticate
  bool drop_connection = false; ///< close without answering, as a dead process or a reset does
  std::uint32_t body_bytes_per_second = 0; ///< > 0: the body trickles out at this rate (a slow-body fault)

  static response json(unsigned status, std::string body);
  static response text(unsigned status, std::string body);
};

/// Completes a request. Called exactly once, from any thread.
using responder = std::function<void(response)>;

/// Answers a request asynchronously through the responder.
using dispatcher = std::function<void(request, responder)>;

/// Told of every answer a listener sends, its own included (504 when a
/// handler never answers, 4xx for what the parser refused; status 0: the
/// connection was dropped), with the time from the request to the answer.
using answer_hook = std::function<void(std::string_view method, std::string_view target, unsigned status,
                                       std::chrono::microseconds took)>;

} // namespace compactsim::http
