#pragma once
//! The Beast server's insides, shared by server.cpp (the listeners and the
//! io threads) and the session files (one connection: server_session.hpp,
//! server_session.cpp for reading and the handler's deadline,
//! server_session_write.cpp for writing). Not a public API.

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "http/server.hpp"

namespace compactsim::http::detail {

using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

class session;

/// State shared by the server, its sessions and every outstanding responder.
struct core {
  explicit core(server_limits l) : limits(l) {}

  const server_limits limits;
  std::shared_mutex gate; ///< responders hold it shared while posting
  bool stopped = false;   ///< guarded by gate; set once by stop()
  std::mutex mutex;       ///< guards sessions and per_listener
  std::unordered_map<const session*, std::pair<std::weak_ptr<session>, std::uint16_t>> sessions;
  std::unordered_map<std::uint16_t, std::size_t> per_listener; ///< open sessions by listening port

  /// Registers `s` unless its listener already has max_connections open.
  bool admit(const std::shared_ptr<session>& s, std::uint16_t port) {
    std::lock_guard lock(mutex);
    auto& open = per_listener[port];
    if (open >= limits.max_connections) return false;
    ++open;
    sessions.emplace(s.get(), std::make_pair(std::weak_ptr<session>{s}, port));
    return true;
  }
  void release(const session* s) {
    std::lock_guard lock(mutex);
    auto it = sessions.find(s);
    if (it == sessions.end()) return;
    --per_listener[it->second.second];
    sessions.erase(it);
  }
  std::size_t open() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }
  std::vector<std::shared_ptr<session>> live() {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<session>> out;
    for (const auto& [key, entry] : sessions)
      if (auto s = entry.first.lock()) out.push_back(std::move(s));
    return out;
  }
};

/// Serves one accepted connection, unless its listener already has
/// max_connections open (then the socket is closed at once).
void start_session(tcp::socket socket, std::shared_ptr<core> shared, std::shared_ptr<const dispatcher> handler,
                   std::shared_ptr<const answer_hook> on_answer, std::uint16_t port, read_timeout_answer timeout_answer);

/// Closes a session's socket at once (server::stop, once the io threads are joined).
void close_now(session& s);

/// Reports an I/O error; normal closes, resets and timeouts are dropped quietly.
void fail(error_code ec, const char* what);

} // namespace compactsim::http::detail
