#include "http/server.hpp"
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

namespace compactsim::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using detail::core;
using detail::error_code;
using detail::tcp;

/// Accepts connections on one port and starts a session for each.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(net::io_context& ioc, std::shared_ptr<core> shared,
           std::shared_ptr<const dispatcher> handler, std::shared_ptr<const answer_hook> on_answer,
           read_timeout_answer timeout_answer)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), shared_(std::move(shared)),
        handler_(std::move(handler)), on_answer_(std::move(on_answer)), timeout_answer_(timeout_answer) {}

  /// Opens, binds and listens; returns the bound port or 0 with `ec` set.
  std::uint16_t open(const tcp::endpoint& endpoint, error_code& ec) {
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    return ec ? 0 : port_;
  }

  void run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&listener::do_accept, shared_from_this()));
  }

  /// Only called once the io threads are joined.
  void close() {
    error_code ec;
    acceptor_.close(ec);
  }

private:
  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      detail::fail(ec, "accept");
    } else {
      detail::start_session(std::move(socket), shared_, handler_, on_answer_, port_, timeout_answer_);
    }
    do_accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<core> shared_;
  std::shared_ptr<const dispatcher> handler_;
  std::shared_ptr<const answer_hook> on_answer_;
  read_timeout_answer timeout_answer_;
  std::uint16_t port_ = 0;
};

} // namespace

/// Members are destroyed bottom-up: the io_context goes before `shared`, so
/// sessions still queued in it can release themselves from the registry.
struct server::impl {
  impl(server_limits limits, unsigned thread_count)
      : shared(std::make_shared<core>(limits)), threads(std::max(1u, thread_count)),
        ioc(static_cast<int>(threads)), work(net::make_work_guard(ioc)) {}

  void run_thread() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        std::cerr << "compactsim http: handler threw: " << e.what() << '\n';
      } catch (...) {
        std::cerr << "compactsim http: handler threw\n";
      }
    }
  }

  std::shared_ptr<core> shared;
  unsigned threads;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::mutex mutex; ///< guards everything below
  std::vector<std::shared_ptr<listener>> listeners;
  std::vector<std::thread> pool;
  bool started = false;
  bool stopped = false;
};

server::server(server_limits limits, unsigned threads)
    : impl_(std::make_unique<impl>(limits, threads)) {}

server::~server() { stop(); }

std::uint16_t server::listen(const std::string& address, std::uint16_t port,
                             dispatcher handler, boost::system::error_code& ec, answer_hook on_answer,
                             read_timeout_answer timeout_answer) {
  ec = {};
  const auto ip = net::ip::make_address(address, ec);
  if (ec) return 0;
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopped) {
    ec = net::error::operation_aborted;
    return 0;
  }
  auto l = std::make_shared<listener>(impl_->ioc, impl_->shared,
                                      std::make_shared<const dispatcher>(std::move(handler)),
                                      std::make_shared<const answer_hook>(std::move(on_answer)), timeout_answer);
  const auto bound = l->open(tcp::endpoint{ip, port}, ec);
  if (ec) return 0;
  impl_->listeners.push_back(l);
  l->run();
  return bound;
}

void server::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->started || impl_->stopped) return;
  impl_->started = true;
  for (unsigned i = 0; i < impl_->threads; ++i)
    impl_->pool.emplace_back([this] { impl_->run_thread(); });
}

void server::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true; // listeners and pool are frozen from here on
  }
  {
    std::unique_lock gate(impl_->shared->gate);
    impl_->shared->stopped = true; // late responders now post nothing
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->pool) t.join();
  impl_->pool.clear();
  for (auto& l : impl_->listeners) l->close();
  for (auto& s : impl_->shared->live()) detail::close_now(*s);
  // Run the aborted completions so closed sessions release themselves now.
  impl_->ioc.restart();
  try {
    impl_->ioc.poll();
  } catch (...) {
  }
}

std::size_t server::open_connections() const { return impl_->shared->open(); }

} // namespace compactsim::http
