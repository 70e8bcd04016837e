#pragma once
//! One connection of the Beast server, shared by server_session.cpp
//! (reading a request, the handler's deadline, the responder) and
//! server_session_write.cpp (writing the answer: slow bodies, the graceful
//! close). Not a public API.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/server_internal.hpp"

namespace compactsim::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using beast_response = bhttp::response<bhttp::string_body>;

/// One request's completion state: the first answer (handler or 504) wins.
struct reply_state {
  std::atomic<bool> done{false};
  std::weak_ptr<session> owner;
  std::shared_ptr<core> shared;
};

/// The responder body: first call wins, then hop onto the session's strand.
void deliver(const std::shared_ptr<reply_state>& state, response r);

/// A JSON {"error": message} answer of the server itself.
response json_error(unsigned status, const char* message);

/// One accepted connection; every step runs on the connection's strand.
class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket socket, std::shared_ptr<core> shared,
          std::shared_ptr<const dispatcher> handler, std::shared_ptr<const answer_hook> on_answer, std::uint16_t port,
          read_timeout_answer timeout_answer)
      : stream_(std::move(socket)), executor_(stream_.get_executor()), handler_timer_(executor_),
        shared_(std::move(shared)), handler_(std::move(handler)), on_answer_(std::move(on_answer)), local_port_(port),
        timeout_answer_(timeout_answer) {
    error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
  }
  ~session() { shared_->release(this); }

  void run() {
    net::dispatch(executor_,
                  beast::bind_front_handler(&session::do_wait, shared_from_this()));
  }

  /// The strand; immutable, so safe to read from any thread.
  const net::any_io_executor& executor() const { return executor_; }

  /// Writes `r` as the answer to the current request (on the strand).
  void send(response r);

  /// Closes the socket at once; only called once the io threads are joined.
  void close_now();

private:
  // -- reading (server_session.cpp) ----------------------------------------------------------

  /// Waits for the first byte of the next request (idle between requests).
  void do_wait();
  void on_wait(error_code ec, std::size_t bytes);
  /// Starts a request: the parser gets what is buffered, then more as it comes.
  /// The read timer covers the header, 100-continue and the body.
  void do_read();
  /// The request is whole or refused: its read timer no longer applies.
  void end_reading();
  /// Feeds the buffer to the parser until the request is whole, it needs
  /// bytes the client has not sent yet, or it is refused. Beast's own read
  /// loop would wait for a CRLF that a bare-LF framing line never brings, so
  /// this loop looks at what the parser left: framing (a header, a chunk
  /// line, a trailer) that holds a lone LF is refused at once with 400.
  void parse();
  void read_more();
  /// Answers `Expect: 100-continue` (curl waits a second for it) before the body.
  void send_continue();
  /// True when the bytes the parser could not use yet hold an LF without its
  /// CR: they are all framing, so no complete request can follow.
  bool has_bare_lf() const;
  /// The socket failed or the read timer fired while a request was coming in.
  void on_read_failure(error_code ec);
  void on_read(error_code ec);
  /// Hands the parsed request to the dispatcher and arms the 504 guard.
  void dispatch_request();
  void arm_handler_timer(std::shared_ptr<reply_state> state);

  // -- writing (server_session_write.cpp) ------------------------------------------------------

  /// Answers a request the parser rejected, then closes the connection.
  void reply_error(unsigned status, const char* message);
  void do_write();
  void write_slice();
  void on_write(error_code ec, std::size_t);
  /// Graceful close: stop sending, then discard what the client still sends
  /// for a moment so the kernel does not reset the connection under the
  /// response it has not read yet.
  void do_close();
  void do_drain();

  beast::tcp_stream stream_;
  const net::any_io_executor executor_;
  net::steady_timer handler_timer_;
  net::steady_timer pace_timer_{executor_};  ///< between the slices of a slow body
  net::steady_timer read_timer_{executor_};  ///< the read timeout of the request coming in
  std::uint64_t read_generation_ = 0;        ///< which request read_timer_ guards
  bool reading_ = false;                     ///< a request is being read
  bool timed_out_ = false;                   ///< its read timer fired
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  beast_response res_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_; ///< a slow body's header
  std::uint32_t slow_rate_ = 0;    ///< bytes per second of the body being written; 0: at once
  std::size_t slow_offset_ = 0;
  std::shared_ptr<core> shared_;
  std::shared_ptr<const dispatcher> handler_;
  std::shared_ptr<const answer_hook> on_answer_;
  std::string method_, target_;                    ///< of the request being answered
  std::chrono::steady_clock::time_point started_{};
  std::string remote_address_;
  std::uint16_t local_port_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool first_ = true;
  bool closed_ = false;
  bool continued_ = false;                         ///< the current request's Expect was looked at
  read_timeout_answer timeout_answer_;
};

} // namespace compactsim::http::detail
