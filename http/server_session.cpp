//! One connection of the Beast server, reading: the wait for a request,
//! the parser fed by hand (bare LFs refused, 100-continue answered), the
//! read timeout, and the handoff to the dispatcher under the handler's
//! deadline. Writing the answer is in server_session_write.cpp.

#include "http/server_session.hpp"

#include <exception>
#include <iostream>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/beast/core/read_size.hpp>

namespace compactsim::http::detail {

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

void session::do_wait() {
  if (buffer_.size() > 0) return do_read();
  const auto& l = shared_->limits;
  stream_.expires_after(first_ ? l.read_timeout : l.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&session::on_wait, shared_from_this()));
}

void session::on_wait(error_code ec, std::size_t bytes) {
  if (ec) return fail(ec, "wait");
  buffer_.commit(bytes);
  do_read();
}

void session::do_read() {
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

void session::end_reading() {
  reading_ = false;
  read_timer_.cancel();
}

void session::parse() {
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

void session::read_more() {
  stream_.async_read_some(buffer_.prepare(read_size(buffer_, 4096)),
                          [self = shared_from_this()](error_code ec, std::size_t bytes) {
                            if (self->closed_) return;
                            if (self->timed_out_) return self->on_read_failure(beast::error::timeout);
                            if (ec) return self->on_read_failure(ec);
                            self->buffer_.commit(bytes);
                            self->parse();
                          });
}

void session::send_continue() {
  static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
  net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                   [self = shared_from_this()](error_code ec, std::size_t) {
                     if (self->timed_out_) return self->on_read_failure(beast::error::timeout);
                     if (ec) return fail(ec, "write");
                     self->parse();
                   });
}

bool session::has_bare_lf() const {
  const auto data = buffer_.data();
  const auto* p = static_cast<const char*>(data.data());
  for (std::size_t i = 0; i < data.size(); ++i)
    if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) return true;
  return false;
}

void session::on_read_failure(error_code ec) {
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

void session::on_read(error_code ec) {
  end_reading();
  if (closed_) return;
  if (!ec) return dispatch_request();
  if (ec == bhttp::error::body_limit) return reply_error(413, "request entity too large");
  if (ec == bhttp::error::header_limit)
    return reply_error(431, "request header fields too large");
  if (is_malformed(ec)) return reply_error(400, "bad request");
  fail(ec, "read");
}

void session::dispatch_request() {
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

void session::arm_handler_timer(std::shared_ptr<reply_state> state) {
  handler_timer_.expires_after(shared_->limits.handler_timeout);
  handler_timer_.async_wait([self = shared_from_this(), state = std::move(state)](error_code ec) {
    if (ec || state->done.exchange(true)) return;
    self->send(json_error(504, "handler timeout"));
  });
}

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

void session::close_now() {
  closed_ = true;
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  handler_timer_.cancel();
  pace_timer_.cancel();
  read_timer_.cancel();
}

void close_now(session& s) { s.close_now(); }

} // namespace compactsim::http::detail
