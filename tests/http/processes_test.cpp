// One `compactsim serve` and two `compactsim node` processes on loopback:
// the nodes' BEs join the serve's cluster over CAF's network layer, loads
// and compactions reach them across processes, a killed node is a crashed
// BE, and a restarted one rejoins and catches up.

#include <boost/test/unit_test.hpp>

#include "http/basic_auth.hpp"

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>

#include <openssl/hmac.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include "tests/http/process.hpp"
#include "tests/http/test_client.hpp"

using namespace compactsim;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

using test::call;
using test::child;
using test::eventually;
using test::free_ports;

std::size_t rowsets(std::uint16_t port) {
  auto r = call(port, "GET", "/api/compaction/show?tablet_id=10015");
  if (r.status != 200)
    return 0;
  return json::parse(r.body).at("rowsets").as_array().size();
}

/// A raw TCP connection to a loopback port, with bounded reads.
struct raw_socket {
  int fd = -1;
  explicit raw_socket(std::uint16_t port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ~raw_socket() {
    if (fd >= 0)
      ::close(fd);
  }
  void send(const std::string& bytes) const { (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  /// Reads until `n` bytes, the peer's close or `limit`; what arrived.
  std::string read(std::size_t n, std::chrono::milliseconds limit = 3s) const {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (out.size() < n) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd pfd{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
        break;
      char buf[256];
      auto r = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
      if (r <= 0)
        break;
      out.append(buf, static_cast<std::size_t>(r));
    }
    return out;
  }
  /// True once the peer closed (within `limit`).
  bool closed(std::chrono::milliseconds limit = 3s) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{fd, POLLIN, 0};
      if (::poll(&pfd, 1, 100) > 0) {
        char buf[256];
        auto r = ::recv(fd, buf, sizeof buf, 0);
        if (r <= 0)
          return true;
      }
    }
    return false;
  }
};

/// The node port's handshake as a node does it (actors/node_link.hpp),
/// with `secret`; returns the verdict's first two bytes ("OK" or "NO").
std::string prove(const raw_socket& s, const std::string& secret) {
  auto hello = s.read(40);
  if (hello.size() != 40 || hello.substr(0, 8) != "CSNODE/1")
    return "not a node port";
  std::string node_nonce(32, 'n');
  std::string data = "node" + hello.substr(8) + node_nonce;
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  s.send("CSNODE/1" + node_nonce + std::string(reinterpret_cast<const char*>(mac), 32));
  return s.read(34).substr(0, 2);
}

/// A BASP header (CAF 0.17.6: operation, 2 padding bytes, flags, payload
/// length, operation data, source and destination actors; big-endian).
std::string basp_header(unsigned char op, std::uint32_t payload) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  const auto be = htonl(payload);
  std::memcpy(h.data() + 4, &be, 4);
  return h;
}

/// Resident memory of a process in KiB.
long rss_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_processes)

// The node port wants serve's --auth proven before a byte reaches CAF, and
// caps CAF's frames: a node without the secret is refused, a 32-byte header
// announcing a gigabyte allocates nothing (CAF 0.17.6's broker would resize
// its buffer to it), a handshake without payload (which crashes that broker)
// drops only its link, and a node with the secret joins and guards its BE
// port with the same credentials.
BOOST_AUTO_TEST_CASE(the_node_port_demands_the_secret_and_caps_frames) {
  auto base = free_ports(7);
  auto p = [](std::uint16_t x) { return std::to_string(x); };
  auto port = [base](int i) { return static_cast<std::uint16_t>(base + i); };
  const std::string auth = "alice:s3cret";
  child serve{{"serve", "--doris-port", p(port(0)), "--druid-port", p(port(3)), "--admin-port", p(port(4)),
               "--remote-backends", "1", "--node-port", p(port(5)), "--auth", auth, "--log-level", "off"}};
  const std::vector<std::pair<std::string, std::string>> basic{{"Authorization", "Basic YWxpY2U6czNjcmV0"}};
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i, test::sleep_ms(100))
    up = call(port(4), "GET", "/healthz", {}, basic).status == 200;
  BOOST_REQUIRE(up);
  const auto rss_before = rss_kib(serve.pid());

  // Without the secret, or with another, a node is refused and exits 1.
  for (const std::vector<std::string>& extra : {std::vector<std::string>{}, std::vector<std::string>{"--auth", "alice:wrong"}}) {
    std::vector<std::string> args{"node", "--join", "127.0.0.1:" + p(port(5)), "--doris-port", p(port(0)), "--log-level", "off"};
    args.insert(args.end(), extra.begin(), extra.end());
    child node{args};
    auto status = node.wait_exit(10s);
    BOOST_TEST_REQUIRE(status != -1);
    BOOST_TEST(WEXITSTATUS(status) == 1);
  }
  BOOST_TEST(call(port(2), "GET", "/api/health").status == 0u); // nothing joined

  // Unauthenticated bytes reach no CAF code: 20 connections each announce a
  // 1 GiB frame, then a wrong proof. Each is told NO; memory stays flat.
  for (int i = 0; i < 20; ++i) {
    raw_socket s{port(5)};
    BOOST_REQUIRE(s.fd >= 0);
    BOOST_TEST(s.read(40).substr(0, 8) == "CSNODE/1");
    s.send(basp_header(3, 1u << 30) + std::string(40, 'x'));
    BOOST_TEST(s.read(2) == "NO");
    BOOST_TEST(s.closed());
  }
  // A peer that proves nothing in time is dropped.
  raw_socket silent{port(5)};
  BOOST_TEST(silent.closed(8s));

  // An authenticated peer still cannot make serve allocate a huge frame, nor
  // crash it with an empty handshake: its link drops, serve goes on.
  {
    raw_socket s{port(5)};
    BOOST_REQUIRE(prove(s, auth) == "OK");
    s.send(basp_header(3, 0xF0000000u));
    BOOST_TEST(s.closed());
  }
  {
    raw_socket s{port(5)};
    BOOST_REQUIRE(prove(s, auth) == "OK");
    s.send(basp_header(1, 0));
    BOOST_TEST(s.closed());
  }
  const auto rss_after = rss_kib(serve.pid());
  BOOST_TEST_MESSAGE("serve RSS " << rss_before << " KiB before, " << rss_after << " KiB after");
  BOOST_TEST(rss_after - rss_before < 64 * 1024); // far below one announced frame
  BOOST_TEST(call(port(4), "GET", "/healthz", {}, basic).status == 200u);

  // With the secret, a node joins; its BE port wants the same credentials.
  child node{{"node", "--join", "127.0.0.1:" + p(port(5)), "--doris-port", p(port(0)), "--auth", auth, "--log-level", "off"}};
  test::client_reply health;
  for (int i = 0; i < 200 && health.status != 200; ++i, test::sleep_ms(100))
    health = call(port(2), "GET", "/api/health", {}, basic);
  BOOST_TEST(health.status == 200u);
  BOOST_TEST(call(port(2), "GET", "/api/health").status == 401u);
  BOOST_TEST(call(port(4), "GET", "/readyz", {}, basic).status == 200u);
}

BOOST_AUTO_TEST_CASE(two_node_processes_join_a_serve_and_survive_a_kill) {
  auto base = free_ports(7); // BEs base..base+2, druid +3, admin +4, nodes +5
  auto be = [base](int i) { return static_cast<std::uint16_t>(base + i); };
  auto druid = be(3), admin = be(4), node_port = be(5);
  auto p = [](std::uint16_t x) { return std::to_string(x); };
  child serve{{"serve", "--doris-port", p(be(0)), "--druid-port", p(druid), "--admin-port", p(admin),
               "--remote-backends", "2", "--node-port", p(node_port), "--speed", "10", "--log-level", "warn"}};
  BOOST_REQUIRE(eventually(admin, "/healthz", [](auto& r) { return r.status == 200; }).status == 200);
  // Until the nodes join, be:1 and be:2 are down.
  auto not_ready = call(admin, "GET", "/readyz");
  BOOST_TEST(not_ready.status == 503u);
  BOOST_TEST(not_ready.body.find("\"be:1\"") != std::string::npos);

  // Slots go lowest first: node1 takes be:1 (port +1), then node2 be:2.
  auto node1 = std::make_unique<child>(std::vector<std::string>{
    "node", "--join", "127.0.0.1:" + p(node_port), "--doris-port", p(be(0)), "--log-level", "warn"});
  BOOST_REQUIRE(eventually(be(1), "/api/health", [](auto& r) { return r.status == 200; }).status == 200);
  child node2{{"node", "--join", "127.0.0.1:" + p(node_port), "--doris-port", p(be(0)), "--log-level", "warn"}};
  auto ready = eventually(admin, "/readyz", [](auto& r) { return r.status == 200; });
  BOOST_TEST_REQUIRE(ready.status == 200u, ready.body);

  // Each BE answers on its own process's port, as its own backend.
  for (int i : {0, 1, 2}) {
    auto r = eventually(be(i), "/api/health", [](auto& r) { return r.status == 200; });
    BOOST_TEST(r.status == 200u);
  }
  // Loads published by serve's coordinator reach the node processes' replicas.
  auto grown = eventually(be(2), "/api/compaction/show?tablet_id=10015",
                          [&](auto&) { return rowsets(be(2)) > 25; });
  BOOST_TEST(rowsets(be(2)) > 25u);
  // A manual compaction through a node's port runs there.
  auto run = call(be(1), "POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(run.body.find("Success") != std::string::npos, run.body);
  auto state = json::parse(call(admin, "GET", "/sim/v1/state?limit=1").body);
  const auto& bes = state.at("backends").as_array();
  BOOST_REQUIRE(bes.size() == 3u);
  BOOST_TEST(bes[1].at("up").as_bool());
  BOOST_TEST(bes[1].at("remote").as_bool());
  BOOST_TEST(bes[1].at("replicas").as_int64() > 0);

  // Killing a node process is a real crash: its port refuses, serve notices.
  node1->stop(SIGKILL);
  node1.reset();
  BOOST_TEST(call(be(1), "GET", "/api/health").status == 0u);
  auto down = eventually(admin, "/readyz", [](auto& r) { return r.status == 503; });
  BOOST_TEST(down.status == 503u);
  BOOST_TEST(down.body.find("\"be:1\"") != std::string::npos);
  auto after = json::parse(call(admin, "GET", "/sim/v1/state?limit=1").body);
  BOOST_TEST(!after.at("backends").at(1).at("up").as_bool());
  BOOST_TEST(after.at("backends").at(2).at("up").as_bool());

  // Started again, it rejoins and catches up with the versions it missed.
  child again{{"node", "--join", "127.0.0.1:" + p(node_port), "--doris-port", p(be(0)), "--log-level", "warn"}};
  BOOST_TEST(eventually(admin, "/readyz", [](auto& r) { return r.status == 200; }).status == 200u);
  auto version_of = [&](std::uint16_t port) -> std::string {
    auto r = call(port, "GET", "/api/compaction/show?tablet_id=10015");
    if (r.status != 200)
      return {};
    auto rs = json::parse(r.body).at("rowsets").as_array();
    std::string last{rs.back().as_string()};
    return last.substr(0, last.find(']') + 1); // "[a-b]"
  };
  // The rejoined replica reaches the version of a replica that never left.
  bool caught_up = false;
  for (int i = 0; i < 200 && !caught_up; ++i) {
    auto v1 = version_of(be(1)), v0 = version_of(be(0));
    auto end = [](const std::string& v) { return v.empty() ? -1 : std::stol(v.substr(v.find('-') + 1)); };
    caught_up = end(v1) >= end(v0) - 2 && end(v1) > 22;
    std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST(caught_up);
  // A crash fault on a node's BE kills it there (its port closes
  // connections, as a dead BE's would); the heal restarts it there.
  auto crash = test::http_call(admin, "POST", "/sim/v1/faults", R"({"kind": "crash", "target": "be:2", "for": "20s"})");
  BOOST_TEST(crash.status == 201u);
  BOOST_TEST(eventually(be(2), "/api/health", [](auto& r) { return r.status == 0; }).status == 0u);
  BOOST_TEST(eventually(be(2), "/api/health", [](auto& r) { return r.status == 200; }).status == 200u); // 2 s at speed 10
  // A node stops cleanly on SIGTERM (its exit hook once read freed state: exit 139).
  auto node_status = again.stop(SIGTERM);
  BOOST_TEST(WIFEXITED(node_status));
  BOOST_TEST(WEXITSTATUS(node_status) == 0);
  // SIGTERM stops serve cleanly (exit 0; the wait gives up and kills after 5 s).
  auto stopping = std::chrono::steady_clock::now();
  BOOST_TEST(serve.stop(SIGTERM) == 0);
  BOOST_TEST_MESSAGE("serve stopped in " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - stopping).count() << " ms");
  // Its nodes notice and stop by themselves.
  auto gone = node2.wait_exit(5s);
  BOOST_TEST(gone != -1);
  BOOST_TEST(WIFEXITED(gone));
}

BOOST_AUTO_TEST_CASE(a_node_is_refused_when_no_remote_slot_is_free) {
  auto base = free_ports(7);
  auto p = [](std::uint16_t x) { return std::to_string(x); };
  auto port = [base](int i) { return static_cast<std::uint16_t>(base + i); };
  child serve{{"serve", "--doris-port", p(port(0)), "--druid-port", p(port(3)), "--admin-port", p(port(4)),
               "--remote-backends", "1", "--node-port", p(port(5)), "--log-level", "warn"}};
  BOOST_REQUIRE(eventually(port(4), "/healthz", [](auto& r) { return r.status == 200; }).status == 200);
  // be:0 and be:1 are local (ports +0, +1); be:2 is the one remote slot.
  child greedy{{"node", "--join", "127.0.0.1:" + p(port(5)), "--backends", "2", "--doris-port", p(port(0)),
                "--log-level", "off"}};
  // It exits by itself with 1; nothing joined and nothing listens for be:2.
  auto status = greedy.wait_exit(10s);
  BOOST_TEST_REQUIRE(status != -1);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 1);
  BOOST_TEST(call(port(2), "GET", "/api/health").status == 0u);
  BOOST_TEST(call(port(1), "GET", "/api/health").status == 200u);
  BOOST_TEST(call(port(4), "GET", "/readyz").status == 503u);
}

// `--auth :` (or a user without a password) would let an empty Basic
// credential in: serve and node refuse it at start, exit 2.
BOOST_AUTO_TEST_CASE(empty_credentials_are_refused_at_start) {
  auto base = free_ports(7);
  auto p = [](std::uint16_t x) { return std::to_string(x); };
  for (const char* auth : {":", "user:", ":pass", "nocolon"}) {
    child serve{{"serve", "--doris-port", p(base), "--druid-port", p(base + 3), "--admin-port", p(base + 4),
                 "--node-port", p(base + 5), "--auth", auth, "--log-level", "off"}};
    auto status = serve.wait_exit(std::chrono::seconds{10});
    BOOST_TEST_REQUIRE(status != -1, auth);
    BOOST_TEST(WEXITSTATUS(status) == 2, auth);
    child node{{"node", "--join", "127.0.0.1:" + p(base + 5), "--doris-port", p(base), "--auth", auth, "--log-level", "off"}};
    auto node_status = node.wait_exit(std::chrono::seconds{10});
    BOOST_TEST_REQUIRE(node_status != -1, auth);
    BOOST_TEST(WEXITSTATUS(node_status) == 2, auth);
  }
  BOOST_TEST(compactsim::http::valid_credentials("a:b"));
  BOOST_TEST(compactsim::http::valid_credentials("a:b:c")); // the password may hold a colon
  // serve and node refuse with the same words.
  BOOST_TEST(compactsim::http::bind_refusal("127.0.0.1", "") == "");
  BOOST_TEST(compactsim::http::bind_refusal("0.0.0.0", "") ==
             "binding 0.0.0.0 (not a loopback address) requires --auth USER:PASS");
  BOOST_TEST(compactsim::http::bind_refusal("0.0.0.0", "a:b") == "");
  BOOST_TEST(compactsim::http::bind_refusal("127.0.0.1", ":b") == "--auth expects USER:PASS, neither empty");
}

BOOST_AUTO_TEST_SUITE_END()
