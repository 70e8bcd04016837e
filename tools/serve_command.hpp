#pragma once
//! `compactsim serve`: the live cluster behind real HTTP listeners.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/cluster_config.hpp"

namespace compactsim::tools {

struct serve_options {
  std::string config_file;           ///< empty: the default cluster
  std::string bind = "127.0.0.1";
  std::uint16_t doris_port = 8040;   ///< BE i listens on doris_port + i
  std::uint16_t druid_port = 8888;
  std::uint16_t admin_port = 9999;   ///< the control API (faults, readiness, metrics)
  double speed = 1.0;
  std::string auth;                  ///< "user:password": every listener demands Basic auth
  std::size_t max_body = 1 << 20;    ///< request body limit (413 beyond)
  std::size_t max_header = 16 << 10; ///< request header limit (431 beyond)
  unsigned read_timeout_ms = 30'000;
  unsigned idle_timeout_ms = 60'000;
  std::size_t max_connections = 1024;                ///< simulated time runs this many times as fast as the wall clock
  std::optional<std::uint64_t> seed;
  std::optional<int> druid_version; ///< overrides the config's druid.version
  bool druid_compaction_supervisors = false; ///< sets druid.compaction_supervisors (needs version 31)
  std::string log_level = "info";
  std::string record_file;           ///< non-empty: record the session from the start and write it here at exit
  unsigned threads = 2;
  std::uint16_t node_port = 4242;    ///< where node processes join (with remote_backends > 0)
  std::size_t remote_backends = 0;   ///< the last N backends run in `compactsim node` processes
};

/// Reads a cluster config (JSON with comments); `source` names it in errors.
std::optional<sim::cluster_config> parse_config_text(const std::string& text, const std::string& source,
                                                     std::string& error);

/// Runs until SIGINT or SIGTERM; returns the process exit code.
int run_serve(const serve_options& opts);

} // namespace compactsim::tools
