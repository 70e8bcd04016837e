//! One connection of the Beast server, writing: a handler's response as a
//! Beast message (HEAD and bodiless statuses), a slow body in timed slices,
//! keep-alive, and the graceful close. Reading is in server_session.cpp.

#include "http/server_session.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/asio/write.hpp>

namespace compactsim::http::detail {

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

void session::send(response r) {
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

void session::reply_error(unsigned status, const char* message) {
  started_ = std::chrono::steady_clock::now();
  method_.clear();
  target_.clear();
  version_ = 11;
  keep_alive_ = false;
  head_ = false;
  send(json_error(status, message));
}

void session::do_write() {
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

void session::write_slice() {
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

void session::on_write(error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  if (!res_.keep_alive()) return do_close();
  first_ = false;
  do_wait();
}

void session::do_close() {
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(std::min<std::chrono::milliseconds>(shared_->limits.read_timeout,
                                                             std::chrono::seconds{1}));
  do_drain();
}

void session::do_drain() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (!ec) self->do_drain();
                          });
}

} // namespace compactsim::http::detail
