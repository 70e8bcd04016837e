#include "http/server_internal.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http.hpp>

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

void deliver(const std::shared_ptr<reply_state>& state, response r);

/// Reports an I/O error; normal closes, resets and timeouts are dropped quietly.
void fail(error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == beast::error::timeout ||
      ec == net::error::eof || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message || ec == net::error::connection_reset ||
      ec == net::error::broken_pipe || ec == net::error::not_connected ||
      ec == net::error::bad_descriptor)
    return;
  std::cerr << "compactsim http: " << what << ": " << ec.message() << '\n';
}

/// True for the parser's syntax errors (not for a connection closed early).
bool is_malformed(error_code ec) {
  static const auto& category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

response json_error(unsigned status, const char* message) {
  return response::json(status, std::string(R"({"error":")") + message + "\"}");
}

/// Converts a handler's response into a Beast message ready to write.
beast_response to_beast(response r, unsigned version, bool keep_alive, bool head) {
  if (r.status < 100 || r.status > 999) r = json_error(500, "invalid status");
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (bodiless) r.body.clear();
  beast_response res;
  res.version(version);
  res.result(r.status);
  if (!r.content_type.empty())
    res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  const auto size = r.body.size();
  res.body() = std::move(r.body);
  res.prepare_payload();
  if (head && !bodiless) {
    res.body().clear();
    res.content_length(size);
  }
  return res;
}

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
  void send(response r) {
    if (closed_) return;
    handler_timer_.cancel();
    if (on_answer_ && *on_answer_) {
      auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
      (*on_answer_)(method_, target_, r.drop_connection ? 0 : r.status, took);
    }
    if (r.drop_connection) {
      error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.close();
      closed_ = true;
      return;
    }
    slow_rate_ = head_ ? 0 : r.body_bytes_per_second;
    try {
      res_ = to_beast(std::move(r), version_, keep_alive_, head_);
    } catch (const std::exception&) {
      slow_rate_ = 0;
      res_ = to_beast(json_error(500, "invalid response"), version_, keep_alive_, head_);
    }
    do_write();
  }

  /// Closes the socket at once; only called once the io threads are joined.
  void close_now() {
    closed_ = true;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    handler_timer_.cancel();
    pace_timer_.cancel();
    read_timer_.cancel();
  }

private:
  /// Waits for the first byte of the next request (idle between requests).
  void do_wait() {
    if (buffer_.size() > 0) return do_read();
    const auto& l = shared_->limits;
    stream_.expires_after(first_ ? l.read_timeout : l.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&session::on_wait, shared_from_this()));
  }

  void on_wait(error_code ec, std::size_t bytes) {
    if (ec) return fail(ec, "wait");
    buffer_.commit(bytes);
    do_read();
  }

  /// Starts a request: the parser gets what is buffered, then more as it comes.
  /// The read timer covers the header, 100-continue and the body.
  void do_read() {
    const auto& l = shared_->limits;
    parser_.emplace();
    parser_->body_limit(static_cast<std::uint64_t>(l.body_limit));
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(l.header_limit, std::numeric_limits<std::uint32_t>::max())));
    continued_ = false;
    // The stream's own timer would close the socket; this one leaves it open
    // so that a timed-out request can still be answered.
    stream_.expires_never();
    reading_ = true;
    timed_out_ = false;
    read_timer_.expires_after(l.read_timeout);
    read_timer_.async_wait([self = shared_from_this(), generation = ++read_generation_](error_code ec) {
      if (ec || !self->reading_ || generation != self->read_generation_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->stream_.socket().cancel(ignored); // the pending read completes, aborted
    });
    parse();
  }

  /// The request is whole or refused: its read timer no longer applies.
  void end_reading() {
    reading_ = false;
    read_timer_.cancel();
  }

  /// Feeds the buffer to the parser until the request is whole, it needs
  /// bytes the client has not sent yet, or it is refused. Beast's own read
  /// loop would wait for a CRLF that a bare-LF framing line never brings, so
  /// this loop looks at what the parser left: framing (a header, a chunk
  /// line, a trailer) that holds a lone LF is refused at once with 400.
  void parse() {
    for (;;) {
      error_code ec;
      if (buffer_.size() > 0) {
        const bool header_was_done = parser_->is_header_done();
        const auto used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        // No progress and no verdict: the parser wants more bytes (never spin).
        if (!ec && used == 0 && !parser_->is_done() && header_was_done == parser_->is_header_done())
          ec = bhttp::error::need_more;
      } else {
        ec = bhttp::error::need_more;
      }
      if (ec == bhttp::error::need_more) {
        if (has_bare_lf()) {
          end_reading();
          return reply_error(400, "bad request");
        }
        return read_more();
      }
      if (ec) return on_read(ec);
      if (parser_->is_done()) return on_read({});
      if (parser_->is_header_done() && !continued_) {
        continued_ = true;
        if (boost::algorithm::iequals(parser_->get()[bhttp::field::expect], "100-continue"))
          return send_continue();
      }
    }
  }

  void read_more() {
    stream_.async_read_some(buffer_.prepare(read_size(buffer_, 4096)),
                            [self = shared_from_this()](error_code ec, std::size_t bytes) {
                              if (self->closed_) return;
                              if (self->timed_out_) return self->on_read_failure(beast::error::timeout);
                              if (ec) return self->on_read_failure(ec);
                              self->buffer_.commit(bytes);
                              self->parse();
                            });
  }

  /// Answers `Expect: 100-continue` (curl waits a second for it) before the body.
  void send_continue() {
    static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       if (self->timed_out_) return self->on_read_failure(beast::error::timeout);
                       if (ec) return fail(ec, "write");
                       self->parse();
                     });
  }

  /// True when the bytes the parser could not use yet hold an LF without its
  /// CR: they are all framing, so no complete request can follow.
  bool has_bare_lf() const {
    const auto data = buffer_.data();
    const auto* p = static_cast<const char*>(data.data());
    for (std::size_t i = 0; i < data.size(); ++i)
      if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) return true;
    return false;
  }

  /// The socket failed or the read timer fired while a request was coming in.
  void on_read_failure(error_code ec) {
    end_reading();
    if (ec == beast::error::timeout && timeout_answer_ == read_timeout_answer::status_408 &&
        (parser_->got_some() || buffer_.size() > 0))
      return reply_error(408, "request timeout");
    if (ec == net::error::eof && !parser_->got_some() && buffer_.size() == 0) return fail(ec, "read");
    if (ec == net::error::eof) {
      error_code eof;
      parser_->put_eof(eof);
      if (!eof && parser_->is_done()) return on_read({});
      return fail(eof ? eof : ec, "read");
    }
    fail(ec, "read");
  }

  void on_read(error_code ec) {
    end_reading();
    if (closed_) return;
    if (!ec) return dispatch_request();
    if (ec == bhttp::error::body_limit) return reply_error(413, "request entity too large");
    if (ec == bhttp::error::header_limit)
      return reply_error(431, "request header fields too large");
    if (is_malformed(ec)) return reply_error(400, "bad request");
    fail(ec, "read");
  }

  /// Hands the parsed request to the dispatcher and arms the 504 guard.
  void dispatch_request() {
    auto msg = parser_->release();
    started_ = std::chrono::steady_clock::now();
    method_ = std::string(msg.method_string());
    target_ = std::string(msg.target());
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == bhttp::verb::head;
    request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg)
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    req.body = std::move(msg.body());
    req.remote_address = remote_address_;
    req.local_port = local_port_;
    auto state = std::make_shared<reply_state>();
    state->owner = weak_from_this();
    state->shared = shared_;
    arm_handler_timer(state);
    try {
      (*handler_)(std::move(req), [state](response r) { deliver(state, std::move(r)); });
    } catch (...) {
      deliver(state, json_error(500, "internal error"));
    }
  }

  void arm_handler_timer(std::shared_ptr<reply_state> state) {
    handler_timer_.expires_after(shared_->limits.handler_timeout);
    handler_timer_.async_wait([self = shared_from_this(), state = std::move(state)](error_code ec) {
      if (ec || state->done.exchange(true)) return;
      self->send(json_error(504, "handler timeout"));
    });
  }

  /// Answers a request the parser rejected, then closes the connection.
  void reply_error(unsigned status, const char* message) {
    started_ = std::chrono::steady_clock::now();
    method_.clear();
    target_.clear();
    version_ = 11;
    keep_alive_ = false;
    head_ = false;
    send(json_error(status, message));
  }

  void do_write() {
    stream_.expires_after(shared_->limits.read_timeout);
    if (slow_rate_ == 0 || res_.body().empty()) {
      bhttp::async_write(stream_, res_, beast::bind_front_handler(&session::on_write, shared_from_this()));
      return;
    }
    // A slow body: the header at once (with the full Content-Length), then
    // the body in slices every 100 ms.
    serializer_.emplace(res_);
    bhttp::async_write_header(stream_, *serializer_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return fail(ec, "write");
      self->slow_offset_ = 0;
      self->write_slice();
    });
  }

  void write_slice() {
    const auto& body = res_.body();
    if (closed_) return;
    if (slow_offset_ >= body.size()) return on_write({}, 0);
    const std::size_t slice = std::max<std::size_t>(1, slow_rate_ / 10);
    const auto n = std::min(slice, body.size() - slow_offset_);
    stream_.expires_after(shared_->limits.read_timeout);
    net::async_write(stream_, net::buffer(body.data() + slow_offset_, n),
                     [self = shared_from_this(), n](error_code ec, std::size_t) {
                       if (ec) return fail(ec, "write");
                       self->slow_offset_ += n;
                       if (self->slow_offset_ >= self->res_.body().size()) return self->on_write({}, 0);
                       // Slices of rate/10 bytes every 100 ms; below 10 B/s, one byte per 1/rate s.
                       self->pace_timer_.expires_after(std::chrono::milliseconds{
                         std::max<std::int64_t>(100, static_cast<std::int64_t>(n) * 1000 / self->slow_rate_)});
                       self->pace_timer_.async_wait([self](error_code ec) {
                         if (!ec) self->write_slice();
                       });
                     });
  }

  void on_write(error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    if (!res_.keep_alive()) return do_close();
    first_ = false;
    do_wait();
  }

  /// Graceful close: stop sending, then discard what the client still sends
  /// for a moment so the kernel does not reset the connection under the
  /// response it has not read yet.
  void do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::min<std::chrono::milliseconds>(shared_->limits.read_timeout,
                                                               std::chrono::seconds{1}));
    do_drain();
  }

  void do_drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, std::size_t) {
                              if (!ec) self->do_drain();
                            });
  }

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

/// The responder body: first call wins, then hop onto the session's strand.
void deliver(const std::shared_ptr<reply_state>& state, response r) {
  if (state->done.exchange(true)) return;
  std::shared_lock gate(state->shared->gate);
  if (state->shared->stopped) return;
  if (auto s = state->owner.lock())
    net::post(s->executor(), [s, r = std::move(r)]() mutable { s->send(std::move(r)); });
}

void start_session(tcp::socket socket, std::shared_ptr<core> shared, std::shared_ptr<const dispatcher> handler,
                   std::shared_ptr<const answer_hook> on_answer, std::uint16_t port, read_timeout_answer timeout_answer) {
  // A session over the limit is never admitted; its destructor closes it.
  auto s = std::make_shared<session>(std::move(socket), shared, std::move(handler), std::move(on_answer), port,
                                     timeout_answer);
  if (shared->admit(s, port))
    s->run();
}

void close_now(session& s) { s.close_now(); }

} // namespace compactsim::http::detail
