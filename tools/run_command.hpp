#pragma once
//! `compactsim run SCENARIO` and `compactsim validate SCENARIO`.

#include <cstdint>
#include <string>

namespace compactsim::tools {

struct run_options {
  std::string file;
  std::string seed;            ///< "", a number, or "random"
  std::string trace_file;
  std::string junit_file;
  std::string report_file;
  std::string html_file;
  bool quiet = false;
  bool check_determinism = false;
  std::uint64_t max_events = 2'000'000'000;  ///< the run's work bound (0: none)
};

/// Exit code: 0 every check held, 1 a check failed (or the runs diverged), 2 a bad scenario.
int run_scenario_command(const run_options& opts);

/// Exit code: 0 valid, 2 not (the error names its line and column or its path).
int validate_command(const std::string& file);

} // namespace compactsim::tools
