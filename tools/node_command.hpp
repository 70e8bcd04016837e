#pragma once
//! `compactsim node`: backends in their own process, joined to a serve
//! process's cluster over CAF's network layer; their HTTP ports answer here.

#include <cstdint>
#include <string>

namespace compactsim::tools {

struct node_options {
  std::string join;                      ///< HOST:PORT of serve's --node-port
  int backends = 1;                      ///< how many of serve's remote slots to take
  std::uint16_t doris_port = 8040;       ///< as serve's: BE i listens on doris_port + i
  std::string bind = "127.0.0.1";
  std::string auth;                      ///< USER:PASS on every listener (required off loopback)
  unsigned threads = 2;
};

/// Runs until SIGINT or SIGTERM, or until the serve process goes away.
int run_node(const node_options& opts);

} // namespace compactsim::tools
