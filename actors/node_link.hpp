#pragma once
//! The node port, guarded: a connection proves it holds serve's --auth
//! secret before a byte of it reaches CAF, and CAF's frames are capped.
//!
//! CAF 0.17's BASP has neither: its broker allocates whatever payload size a
//! 32-byte header announces (up to 4 GiB, per connection, before any
//! handshake), delivers messages from a peer that never shook hands, and
//! checks app identifiers only on the connecting side. So serve no longer
//! `publish`es: the gate accepts, runs a mutual challenge-response, and only
//! then hands the socket to the BASP broker; node connects the same way
//! instead of `remote_actor`.
//!
//! The exchange (fixed sizes, so nothing is allocated on a peer's word):
//!   serve -> node   "CSNODE/1" + serve nonce (32 bytes)
//!   node  -> serve  "CSNODE/1" + node nonce (32) + HMAC-SHA256(secret, "node"  | serve nonce | node nonce)
//!   serve -> node   "OK" + HMAC-SHA256(secret, "serve" | node nonce | serve nonce)   or "NO" + 32 zero bytes
//! The secret is --auth's USER:PASS (empty without --auth); it never crosses.
//! The traffic after it is not encrypted: the README's threat model says so.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace compactsim::actors {

/// Limits of the node port.
struct node_link_limits {
  std::uint32_t max_frame = 64u << 20;                  ///< largest BASP payload; a larger one drops the link
  std::chrono::milliseconds handshake_timeout{5'000};   ///< to prove the secret
  std::size_t max_handshakes = 16;                      ///< connections proving at once; more are closed
};

/// The frame check of a BASP link, fed the reads CAF's broker makes: a
/// 32-byte header, then its payload when it announces one. It looks at each
/// header before the broker sizes its buffer to it.
class basp_frame_guard {
public:
  explicit basp_frame_guard(std::uint32_t cap) : cap_(cap) {}
  /// False: drop the link (a payload over the cap, a handshake without a
  /// payload, which crashes CAF 0.17.6's broker, or an unknown operation).
  bool accept(const unsigned char* buf, std::size_t n);
  /// Bytes of payload the next read carries (0: a header comes next).
  std::uint32_t pending_payload() const { return payload_; }

private:
  std::uint32_t cap_;
  std::uint32_t payload_ = 0;
};

/// serve's side of the handshake: the reply ("OK" + serve's MAC) to a
/// node's 72-byte proof of `secret` against `serve_nonce`, or nullopt.
std::optional<std::string> answer_proof(const std::string& secret, const std::string& serve_nonce,
                                        const std::string& proof);

/// serve's side: listens on `bind:port` and hands each proven connection to
/// CAF's BASP broker with `published` as the actor it reaches.
class node_gate {
public:
  /// Binds and starts the accepting thread; nullptr with `error` set when it cannot bind.
  static std::unique_ptr<node_gate> open(caf::actor_system& sys, caf::actor published, const std::string& bind,
                                         std::uint16_t port, std::string secret, node_link_limits limits,
                                         std::string& error);
  ~node_gate();
  node_gate(const node_gate&) = delete;
  node_gate& operator=(const node_gate&) = delete;

  std::uint16_t port() const;
  /// Connections refused so far (a wrong secret, not a node, too slow, too many).
  std::uint64_t refused() const;

  struct impl;

private:
  explicit node_gate(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// node's side: connects to serve's gate, proves `secret`, and returns the
/// actor serve published there; nullopt with `error` set when refused.
std::optional<caf::actor> join_gate(caf::actor_system& sys, const std::string& host, std::uint16_t port,
                                    const std::string& secret, node_link_limits limits, std::string& error);

} // namespace compactsim::actors
