//! libFuzzer target: what an untrusted peer can put on the node port.
//! The input is a byte stream, split the way the gate and CAF's broker read
//! it: a 72-byte handshake proof, then 32-byte BASP headers each followed by
//! the payload it announces. Properties: a proof of anything but the secret
//! is refused; the frame guard never lets a payload over its cap (or an
//! empty handshake, or an unknown operation) through, and never asks for
//! more payload than it was told.

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "actors/node_link.hpp"

using namespace compactsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::uint32_t cap = 1u << 16;
  const std::string secret = "alice:s3cret";
  const std::string serve_nonce(32, 's');
  std::size_t at = 0;
  if (size >= 72) {
    // A fuzzed proof cannot carry the right MAC (HMAC-SHA256 of the secret).
    if (actors::answer_proof(secret, serve_nonce, {reinterpret_cast<const char*>(data), 72}))
      std::abort();
    at = 72;
  }
  actors::basp_frame_guard guard{cap};
  while (at < size) {
    const auto want = guard.pending_payload() > 0 ? guard.pending_payload() : 32u;
    const auto n = std::min<std::size_t>(want, size - at);
    const bool header = guard.pending_payload() == 0;
    const bool ok = guard.accept(data + at, n);
    if (header && ok) {
      std::uint32_t be = 0;
      std::memcpy(&be, data + at + 4, 4);
      const auto len = ntohl(be);
      if (n != 32 || len > cap || data[at] > 6 || (data[at] <= 1 && len == 0) || guard.pending_payload() != len)
        std::abort(); // let through what it must refuse
    }
    if (!ok)
      return 0; // the link drops here
    at += n;
  }
  return 0;
}
