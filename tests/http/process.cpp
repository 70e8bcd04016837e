#include "tests/http/process.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

extern char** environ;

namespace compactsim::test {

using namespace std::chrono_literals;

child::child(std::vector<std::string> args) {
  args.insert(args.begin(), COMPACTSIM_EXE);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  BOOST_REQUIRE(posix_spawn(&pid_, COMPACTSIM_EXE, nullptr, nullptr, argv.data(), environ) == 0);
}

int child::wait_exit(std::chrono::milliseconds limit) {
  int status = 0;
  for (auto waited = 0ms; pid_ > 0 && waited < limit; waited += 10ms) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(10ms);
  }
  return -1;
}

int child::stop(int sig) {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, sig);
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::uint16_t free_ports(int n) {
  boost::asio::io_context io;
  // Test processes that ctest runs side by side have neighbouring pids: give
  // each its own block of 40 ports, and move on within it call by call.
  // Stay below the kernel's ephemeral range (32768 and up on Linux): a port
  // found free there can be taken by any outgoing connection before serve
  // binds it.
  static int calls = 0;
  const int offset = (::getpid() % 300) * 40 + (calls++ % 4) * 10;
  for (int attempt = 0; attempt < 40; ++attempt) {
    const auto base = static_cast<std::uint16_t>(20000 + (offset + attempt * 997) % 12700);
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      boost::asio::ip::tcp::acceptor a{io};
      boost::system::error_code ec;
      a.open(boost::asio::ip::tcp::v4(), ec);
      a.bind({boost::asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(base + i)}, ec);
      ok = !ec;
    }
    if (ok)
      return base;
  }
  BOOST_FAIL("no free ports");
  return 0;
}

client_reply call(std::uint16_t port, const std::string& method, const std::string& target, std::string body,
                  const std::vector<std::pair<std::string, std::string>>& headers) {
  try {
    return http_call(port, method, target, std::move(body), headers);
  } catch (const std::exception&) {
    return {};
  }
}

serve_process::serve_process(const std::string& config_json, int backends, int speed) : backends_(backends) {
  static int serial = 0;
  path_ = (std::filesystem::temp_directory_path() /
           ("compactsim-test-" + std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".json"))
            .string();
  std::ofstream{path_} << config_json;
  auto p = [](int x) { return std::to_string(x); };
  // A port found free can be taken by another test before serve binds it:
  // serve then exits at once, and another block of ports is tried.
  for (int attempt = 0; attempt < 5; ++attempt) {
    base_ = free_ports(backends + 2);
    proc_.emplace(std::vector<std::string>{"serve", "--config", path_, "--doris-port", p(base_), "--druid-port",
                                           p(druid()), "--admin-port", p(admin()), "--speed", p(speed), "--log-level",
                                           "warn"});
    for (int i = 0; i < 200; ++i) {
      if (call(admin(), "GET", "/readyz").status == 200)
        return;
      if (proc_->wait_exit(std::chrono::milliseconds{100}) != -1)
        break; // it could not listen
    }
    proc_.reset();
  }
  BOOST_FAIL("serve did not become ready on any of five port blocks");
}

serve_process::~serve_process() {
  proc_.reset();
  std::filesystem::remove(path_);
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds{ms}); }

} // namespace compactsim::test
