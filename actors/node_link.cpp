#include "actors/node_link.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/scribe_impl.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace compactsim::actors {

namespace {

using clock_type = std::chrono::steady_clock;
using bytes32 = std::array<unsigned char, 32>;

constexpr std::string_view magic = "CSNODE/1";
constexpr std::size_t hello_size = 8 + 32;        // magic, serve nonce
constexpr std::size_t proof_size = 8 + 32 + 32;   // magic, node nonce, node's MAC
constexpr std::size_t verdict_size = 2 + 32;      // "OK" or "NO", serve's MAC

/// A BASP scribe whose reads pass the frame guard before the broker's.
class capped_scribe : public caf::io::network::scribe_impl {
public:
  capped_scribe(caf::io::network::default_multiplexer& mpx, caf::io::network::native_socket fd, std::uint32_t cap)
    : scribe_impl(mpx, fd), guard_(cap) {}

  bool consume(caf::execution_unit* ctx, const void* buf, std::size_t n) override {
    if (!guard_.accept(static_cast<const unsigned char*>(buf), n)) {
      io_failure(ctx, caf::io::network::operation::read);
      return false;
    }
    return scribe::consume(ctx, buf, n);
  }

private:
  basp_frame_guard guard_;
};

bytes32 mac_of(const std::string& secret, std::string_view label, const bytes32& a, const bytes32& b) {
  std::vector<unsigned char> data(label.begin(), label.end());
  data.insert(data.end(), a.begin(), a.end());
  data.insert(data.end(), b.begin(), b.end());
  bytes32 out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

bytes32 nonce() {
  bytes32 n{};
  if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1)
    throw std::runtime_error("no random bytes for a nonce");
  return n;
}

bool same(const unsigned char* a, const unsigned char* b, std::size_t n) { return CRYPTO_memcmp(a, b, n) == 0; }

/// Hands a proven, connected socket to CAF's BASP broker as serve's side.
void hand_to_basp_as_server(caf::actor_system& sys, const caf::actor& basp, int fd, std::uint16_t port,
                            const caf::actor& published, std::uint32_t cap) {
  caf::io::network::keepalive(fd, true);
  auto& mpx = static_cast<caf::io::network::default_multiplexer&>(sys.middleman().backend());
  caf::io::scribe_ptr s = caf::make_counted<capped_scribe>(mpx, fd, cap);
  caf::anon_send(basp, caf::publish_atom::value, std::move(s), port, caf::actor_cast<caf::strong_actor_ptr>(published),
                 std::set<std::string>{});
}

/// Writes all of `n` bytes or reads exactly `n`, waiting at most until `deadline`.
bool transfer(int fd, unsigned char* p, std::size_t n, clock_type::time_point deadline, bool write) {
  while (n > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    if (left <= 0)
      return false;
    pollfd pfd{fd, static_cast<short>(write ? POLLOUT : POLLIN), 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0)
      continue;
    const auto r = write ? ::send(fd, p, n, MSG_NOSIGNAL) : ::recv(fd, p, n, 0);
    if (r == 0)
      return false;
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        continue;
      return false;
    }
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

} // namespace

bool basp_frame_guard::accept(const unsigned char* buf, std::size_t n) {
  if (payload_ > 0) { // this read is the payload the last header announced
    if (n != payload_)
      return false;
    payload_ = 0;
    return true;
  }
  if (n != caf::io::basp::header_size)
    return false;
  std::uint32_t be = 0;
  std::memcpy(&be, buf + 4, 4);
  const auto len = ntohl(be);
  const auto op = buf[0];
  // Operations 0 and 1 are the server's and the client's handshakes; 6
  // (heartbeat) is the last there is.
  if (len > cap_ || (op <= 1 && len == 0) || op > 6)
    return false;
  payload_ = len;
  return true;
}

std::optional<std::string> answer_proof(const std::string& secret, const std::string& serve_nonce,
                                        const std::string& proof) {
  if (serve_nonce.size() != 32 || proof.size() != proof_size ||
      !same(reinterpret_cast<const unsigned char*>(proof.data()), reinterpret_cast<const unsigned char*>(magic.data()),
            magic.size()))
    return std::nullopt;
  bytes32 serve{}, node{}, node_mac{};
  std::memcpy(serve.data(), serve_nonce.data(), 32);
  std::memcpy(node.data(), proof.data() + 8, 32);
  std::memcpy(node_mac.data(), proof.data() + 40, 32);
  const auto expected = mac_of(secret, "node", serve, node);
  if (!same(node_mac.data(), expected.data(), expected.size()))
    return std::nullopt;
  const auto reply = mac_of(secret, "serve", node, serve);
  return "OK" + std::string{reinterpret_cast<const char*>(reply.data()), reply.size()};
}

// -- serve's side -------------------------------------------------------------------------------

struct node_gate::impl {
  caf::actor_system& sys;
  caf::actor published;
  caf::actor basp;
  std::string secret;
  node_link_limits limits;
  int listen_fd = -1;
  int wake[2] = {-1, -1}; ///< a byte on wake[1] stops the thread
  std::uint16_t port = 0;
  std::atomic<std::uint64_t> refused{0};
  std::thread thread;

  /// A connection still proving itself.
  struct pending {
    int fd;
    bytes32 serve_nonce;
    std::array<unsigned char, proof_size> in{};
    std::size_t got = 0;
    clock_type::time_point deadline;
  };
  std::vector<pending> conns;

  impl(caf::actor_system& s, caf::actor p, std::string sec, node_link_limits l)
    : sys(s), published(std::move(p)), secret(std::move(sec)), limits(l) {}

  ~impl() {
    for (auto& c : conns)
      ::close(c.fd);
    if (listen_fd >= 0)
      ::close(listen_fd);
    for (int fd : wake)
      if (fd >= 0)
        ::close(fd);
  }

  void refuse(pending& c, bool say_no) {
    if (say_no) {
      std::array<unsigned char, verdict_size> no{'N', 'O'};
      (void)!::send(c.fd, no.data(), no.size(), MSG_NOSIGNAL);
    }
    ::close(c.fd);
    c.fd = -1;
    ++refused;
  }

  void accept_all() {
    for (;;) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        return;
      if (conns.size() >= limits.max_handshakes) {
        ::close(fd);
        ++refused;
        continue;
      }
      pending c{fd, nonce(), {}, 0, clock_type::now() + limits.handshake_timeout};
      std::array<unsigned char, hello_size> hello{};
      std::memcpy(hello.data(), magic.data(), magic.size());
      std::memcpy(hello.data() + magic.size(), c.serve_nonce.data(), c.serve_nonce.size());
      if (::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(hello.size())) {
        refuse(c, false);
        continue;
      }
      conns.push_back(c);
    }
  }

  void read_proof(pending& c) {
    const auto r = ::recv(c.fd, c.in.data() + c.got, c.in.size() - c.got, 0);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
      return refuse(c, false);
    if (r < 0)
      return;
    c.got += static_cast<std::size_t>(r);
    if (c.got < c.in.size())
      return;
    auto ok = answer_proof(secret, {reinterpret_cast<const char*>(c.serve_nonce.data()), c.serve_nonce.size()},
                           {reinterpret_cast<const char*>(c.in.data()), c.in.size()});
    if (!ok)
      return refuse(c, true);
    if (!transfer(c.fd, reinterpret_cast<unsigned char*>(ok->data()), ok->size(),
                  clock_type::now() + limits.handshake_timeout, true))
      return refuse(c, false);
    hand_to_basp_as_server(sys, basp, c.fd, port, published, limits.max_frame);
    c.fd = -1; // CAF owns it now
  }

  void run() {
    while (true) {
      std::vector<pollfd> fds{{wake[0], POLLIN, 0}, {listen_fd, POLLIN, 0}};
      auto next = clock_type::now() + std::chrono::seconds{1};
      for (const auto& c : conns) {
        fds.push_back({c.fd, POLLIN, 0});
        next = std::min(next, c.deadline);
      }
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - clock_type::now()).count();
      if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait, 0))) < 0 && errno != EINTR)
        return;
      if (fds[0].revents != 0)
        return;
      for (std::size_t k = 0; k < conns.size(); ++k)
        if (fds[k + 2].revents != 0)
          read_proof(conns[k]);
      const auto now = clock_type::now();
      for (auto& c : conns)
        if (c.fd >= 0 && now >= c.deadline)
          refuse(c, false); // too slow to prove anything
      std::erase_if(conns, [](const pending& c) { return c.fd < 0; });
      if (fds[1].revents != 0)
        accept_all();
    }
  }
};

std::unique_ptr<node_gate> node_gate::open(caf::actor_system& sys, caf::actor published, const std::string& bind,
                                           std::uint16_t port, std::string secret, node_link_limits limits,
                                           std::string& error) {
  auto p = std::make_unique<impl>(sys, std::move(published), std::move(secret), limits);
  p->basp = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(bind.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    error = std::string{"not an address: "} + ::gai_strerror(rc);
    return nullptr;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard{found, ::freeaddrinfo};
  p->listen_fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (p->listen_fd < 0 || ::setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::bind(p->listen_fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(p->listen_fd, 64) != 0 ||
      ::pipe2(p->wake, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(p->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  p->port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  p->thread = std::thread{[raw = p.get()] { raw->run(); }};
  return std::unique_ptr<node_gate>{new node_gate{std::move(p)}};
}

node_gate::node_gate(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

node_gate::~node_gate() {
  const char stop = 1;
  (void)!::write(impl_->wake[1], &stop, 1);
  if (impl_->thread.joinable())
    impl_->thread.join();
}

std::uint16_t node_gate::port() const { return impl_->port; }
std::uint64_t node_gate::refused() const { return impl_->refused.load(); }

// -- node's side --------------------------------------------------------------------------------

std::optional<caf::actor> join_gate(caf::actor_system& sys, const std::string& host, std::uint16_t port,
                                    const std::string& secret, node_link_limits limits, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    error = std::string{"cannot resolve "} + host + ": " + ::gai_strerror(rc);
    return std::nullopt;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard{found, ::freeaddrinfo};
  const auto deadline = clock_type::now() + limits.handshake_timeout;
  int fd = -1;
  for (auto* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  if (fd < 0)
    return std::nullopt;
  set_nonblocking(fd);
  auto fail = [&](std::string why) {
    ::close(fd);
    error = std::move(why);
    return std::nullopt;
  };
  std::array<unsigned char, hello_size> hello{};
  if (!transfer(fd, hello.data(), hello.size(), deadline, false) ||
      !same(hello.data(), reinterpret_cast<const unsigned char*>(magic.data()), magic.size()))
    return fail("it is not a compactsim node port (serve --remote-backends N listens on --node-port)");
  bytes32 serve_nonce{};
  std::memcpy(serve_nonce.data(), hello.data() + magic.size(), serve_nonce.size());
  const auto node_nonce = nonce();
  const auto node_mac = mac_of(secret, "node", serve_nonce, node_nonce);
  std::array<unsigned char, proof_size> proof{};
  std::memcpy(proof.data(), magic.data(), magic.size());
  std::memcpy(proof.data() + 8, node_nonce.data(), 32);
  std::memcpy(proof.data() + 40, node_mac.data(), 32);
  std::array<unsigned char, verdict_size> verdict{};
  if (!transfer(fd, proof.data(), proof.size(), deadline, true) ||
      !transfer(fd, verdict.data(), verdict.size(), deadline, false))
    return fail("serve closed the node port during the handshake");
  const auto serve_mac = mac_of(secret, "serve", node_nonce, serve_nonce);
  if (verdict[0] != 'O' || verdict[1] != 'K')
    return fail("serve refused this node's credentials: give node the same --auth as serve");
  if (!same(verdict.data() + 2, serve_mac.data(), serve_mac.size()))
    return fail("the node port did not prove it holds the --auth secret; not joining it");
  caf::io::network::keepalive(fd, true);
  auto& mpx = static_cast<caf::io::network::default_multiplexer&>(sys.middleman().backend());
  caf::io::scribe_ptr scribe = caf::make_counted<capped_scribe>(mpx, fd, limits.max_frame);
  auto basp = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  caf::strong_actor_ptr published;
  caf::scoped_actor self{sys};
  self->request(basp, limits.handshake_timeout, caf::connect_atom::value, std::move(scribe), port)
    .receive([&](caf::node_id&, caf::strong_actor_ptr& ptr, std::set<std::string>&) { published = std::move(ptr); },
             [&](caf::error& e) { error = sys.render(e); });
  if (!published) {
    if (error.empty())
      error = "serve published no actor on its node port";
    return std::nullopt;
  }
  return caf::actor_cast<caf::actor>(published);
}

} // namespace compactsim::actors
