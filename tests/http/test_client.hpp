#pragma once
//! A small synchronous-looking HTTP client for the tests. Every exchange runs
//! asynchronous Beast operations on a private io_context under one deadline,
//! so a misbehaving server can fail a test but never hang it. Failures are
//! reported as boost::system::system_error.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace compactsim::test {

/// Deadline of one whole exchange (connect, write and read).
inline constexpr std::chrono::seconds client_timeout{5};

/// What the server answered.
struct client_reply {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::map<std::string, std::string> headers; ///< names as the server sent them
};

/// One keep-alive connection to 127.0.0.1; each call() throws
/// boost::system::system_error on connect, read or timeout failures.
class http_connection {
public:
  explicit http_connection(std::uint16_t port);

  /// Sends one request and reads its response on this connection.
  client_reply call(const std::string& method, const std::string& target,
                    std::string body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

private:
  client_reply exchange(boost::beast::http::request<boost::beast::http::string_body>& req);

  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

/// One request on a fresh connection.
client_reply http_call(std::uint16_t port, std::string method, std::string target,
                       std::string body = {},
                       std::vector<std::pair<std::string, std::string>> headers = {});

/// Sends `bytes` as they are and returns everything received until the server
/// closes or the deadline passes. Throws only when the connect fails.
std::string raw_exchange(std::uint16_t port, std::string bytes);

} // namespace compactsim::test
