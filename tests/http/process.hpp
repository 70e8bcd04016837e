#pragma once
//! The `compactsim` program as a child process of a test, on free loopback
//! ports: spawned, waited for and stopped within bounds, never left running.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "tests/http/test_client.hpp"

namespace compactsim::test {

/// A child process of the compactsim program, stopped (SIGKILL if it
/// lingers) when it goes away.
class child {
public:
  explicit child(std::vector<std::string> args);
  ~child() { stop(15); }
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  /// Waits up to `limit` for the process to exit by itself; its status, or -1.
  int wait_exit(std::chrono::milliseconds limit);
  /// Sends `sig` and waits (at most 5 s, then SIGKILL); returns the exit status.
  int stop(int sig);
  pid_t pid() const { return pid_; }

private:
  pid_t pid_ = -1;
};

/// `compactsim serve --config` on free loopback ports: BE i on be(i), the
/// Druid router on druid(), the control API on admin(). Ready when built.
class serve_process {
public:
  serve_process(const std::string& config_json, int backends, int speed);
  ~serve_process();
  serve_process(const serve_process&) = delete;
  serve_process& operator=(const serve_process&) = delete;

  std::uint16_t be(int i) const { return static_cast<std::uint16_t>(base_ + i); }
  std::uint16_t druid() const { return static_cast<std::uint16_t>(base_ + backends_); }
  std::uint16_t admin() const { return static_cast<std::uint16_t>(base_ + backends_ + 1); }
  int backends() const { return backends_; }

private:
  int backends_;
  std::uint16_t base_ = 0;
  std::string path_;
  std::optional<child> proc_;
};

/// A base port with `n` consecutive free ports above it.
std::uint16_t free_ports(int n);

/// One request; status 0 when nothing answers.
client_reply call(std::uint16_t port, const std::string& method, const std::string& target, std::string body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {});

/// Sleeps the test's thread (the suites' poll intervals).
void sleep_ms(int ms);

/// Polls GET `target` until `ok(reply)` or 20 s pass.
template <class Ok>
client_reply eventually(std::uint16_t port, const std::string& target, Ok ok) {
  client_reply r;
  for (int i = 0; i < 200; ++i) {
    r = call(port, "GET", target);
    if (ok(r))
      return r;
    sleep_ms(100);
  }
  return r;
}

} // namespace compactsim::test
