#pragma once
//! `compactsim swarm FILE... [--seeds N | --from A --to B] [--jobs J] [--junit F] [--html DIR]`:
//! runs every scenario under many seeds in parallel processes, prints a live
//! tally and a summary table, and for each failure the first failing check
//! and the command that replays it.

#include <cstdint>
#include <string>
#include <vector>

namespace compactsim::tools {

struct swarm_options {
  std::vector<std::string> files;
  std::uint64_t seeds = 20;          ///< seeds 1..N, unless from/to are given
  std::uint64_t from = 0;            ///< with `to`: seeds from..to
  std::uint64_t to = 0;
  unsigned jobs = 0;                 ///< parallel runs; 0: the machine's cores
  std::string junit_file;            ///< one testcase per scenario and seed
  std::string html_dir;              ///< an HTML report of every failing run goes here
  double time_budget_s = 0;          ///< stop starting runs after this long; 0: none
};

/// Exit code: 0 every run passed, 1 some run failed, 2 bad arguments.
int swarm_command(const swarm_options& opts);

} // namespace compactsim::tools
