#pragma once
//! Runs a scenario on CAF's deterministic scheduler: the same actors and the
//! same HTTP route tables as `compactsim serve`, virtual time, faults on a
//! timeline, invariants checked every `check_every`, assertions, and a trace
//! whose digest is the same for the same (scenario, seed, build).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace compactsim::scenarios {

/// One assertion, invariant or liveness check, as JUnit and the report list it.
struct check_result {
  std::string name;
  std::string kind;          ///< "assertion", "invariant", "liveness"
  bool passed = true;
  time_ms at = 0;            ///< virtual time of the (first) failure or of the check
  std::string message;
  std::int64_t violations = 0;
  std::string metric;        ///< the metric it checks (metric_key), "" for none
  /// Wall seconds the run took until the check was decided (an assertion
  /// when it ran, an invariant at its first failure or at the end): the
  /// JUnit testcase's time.
  double wall_seconds = 0;
};

/// A checked metric sampled over the run (run_options::record_series).
struct metric_series {
  std::string key;           ///< metric_key: the name and its args
  metric_check check;        ///< with the bounds of the first check on it
  std::vector<time_ms> t;
  std::vector<double> v;
};

/// A fault from injection to heal (or to the end of the run).
struct fault_band {
  std::string id, kind;
  std::vector<std::string> nodes;
  time_ms from = 0, to = 0;
};

/// A step that ran after its time.
struct late_step {
  std::size_t index = 0;     ///< its position in the file's "steps"
  std::string name;
  time_ms due = 0, ran = 0;
};

/// "doris.max_cumulative_score{"be":1}": a metric and its args, as the
/// failure messages write it.
std::string metric_key(const metric_check& m);

struct run_options {
  std::string trace_file;    ///< JSON lines; empty: none (the digest is computed anyway)
  bool progress = false;     ///< a progress bar of virtual time on stderr (a terminal)
  /// Without a terminal: a line on stderr every this many wall seconds
  /// (virtual time, events/s, ETA), so CI never sees a silent long run; 0: none.
  double progress_lines_every_s = 0;
  /// Sample every checked metric at each invariant check (for --html);
  /// reading the models changes nothing, so the trace is the same.
  bool record_series = false;
  /// Called after each invariant check with its virtual time (benchmarks
  /// print memory there); it must not touch the cluster.
  std::function<void(time_ms)> on_check;
  /// The work bound: a run that processes more events than this stops with
  /// an error saying so (actors::work_bound_exceeded); 0: none. The busiest
  /// shipped run (W1 at full size for an hour) takes about 3e8.
  std::uint64_t max_events = 2'000'000'000;
};

struct run_result {
  bool passed = true;
  std::uint64_t seed = 0;
  time_ms virtual_ms = 0;
  double wall_seconds = 0;
  double setup_seconds = 0;   ///< of wall_seconds: building and spawning the cluster
  std::uint64_t events = 0;                     ///< messages and timers the scheduler ran
  std::uint64_t trace_events = 0;
  std::string trace_digest;                     ///< FNV-1a 64 of the trace, hex
  std::map<std::string, std::uint64_t> counts;  ///< trace events by kind
  std::map<std::string, double> summary;        ///< final metrics for the summary table
  std::vector<check_result> checks;
  std::vector<metric_series> series;            ///< when record_series
  std::vector<fault_band> bands;                ///< every fault injected
  /// Steps that ran a second or more after their "at": an earlier wait,
  /// liveness phase or slow answer held the timeline (steps run in order).
  std::vector<late_step> late;
};

run_result run_scenario(const scenario& sc, const run_options& opts);

} // namespace compactsim::scenarios
