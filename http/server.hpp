#pragma once
//! The live HTTP front end: asynchronous Boost.Beast listeners, one per port,
//! all on one io_context run by a small thread pool. Each listener hands every
//! parsed request to its dispatcher and writes whatever the responder gets.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>

#include <boost/system/error_code.hpp>

#include "http/message.hpp"

namespace compactsim::http {

/// Limits that keep one slow or abusive client from stalling the others.
struct server_limits {
  std::size_t body_limit = 1 << 20;        ///< bytes; larger bodies get 413
  std::size_t header_limit = 16 << 10;     ///< bytes; larger headers get 431
  std::chrono::milliseconds read_timeout{30'000};  ///< per request read
  std::chrono::milliseconds idle_timeout{60'000};  ///< keep-alive idle
  std::chrono::milliseconds handler_timeout{10'000}; ///< no answer -> 504
  /// Connections each listener keeps open; more are closed on accept. Every
  /// listener has its own budget: idle sockets piling up on one BE port do
  /// not lock clients out of the other ports (the control API above all).
  std::size_t max_connections = 1024;
};

/// What a listener does when a request has begun but is not whole within
/// read_timeout. Our control API answers 408. The real servers close without
/// a word: Doris's libevent (evhttp_connection_incoming_fail: "we probably
/// should just close the connection and not send a reply") and Druid's Jetty
/// 9.4, whose idle timeout never writes a 408 (only minRequestDataRate does,
/// and Druid does not set it).
enum class read_timeout_answer { status_408, close };

/// Owns the io_context, its threads and every listener.
class server {
public:
  explicit server(server_limits limits = {}, unsigned threads = 2);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Starts accepting on `address:port` (port 0 picks one). Returns the bound
  /// port, or sets `ec` and returns 0. May be called before or after start().
  std::uint16_t listen(const std::string& address, std::uint16_t port,
                       dispatcher handler, boost::system::error_code& ec, answer_hook on_answer = {},
                       read_timeout_answer timeout_answer = read_timeout_answer::status_408);

  /// Runs the io_context on the thread pool; returns at once.
  void start();

  /// Closes every listener and connection and joins the threads. Idempotent.
  void stop();

  /// Connections open right now (for metrics and tests).
  std::size_t open_connections() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace compactsim::http
