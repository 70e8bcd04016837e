#pragma once
//! `compactsim shrink FILE --seed N`: from a failing run, a smaller scenario
//! that still fails the same check. The seed's choices are fixed first (a
//! plain scenario, no ranges); then, one reduction at a time and keeping
//! each only when the same check still fails: steps dropped (one at a time,
//! after halves), the liveness phase and the other invariants dropped, the
//! run cut short after the failure, fault durations halved, fewer BEs,
//! fewer tables with their workloads, the Druid side off. Each candidate is
//! a full deterministic run, so the result fails for the same seed every
//! time.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace compactsim::scenarios {

struct shrink_result {
  bool failed = false;        ///< the original run failed (else nothing to shrink)
  std::string check;          ///< the failing check kept: "kind: name" (step numbers left out)
  boost::json::value minimal; ///< the smallest failing scenario found
  int runs = 0;               ///< scenario runs it took
  int kept = 0;               ///< reductions that kept the failure
};

/// Shrinks the scenario `text` under `seed` (nullopt: the file's). `say`
/// hears a line per reduction tried. Nullopt with `error` when the text is
/// not a scenario.
std::optional<shrink_result> shrink_scenario(const std::string& text, std::optional<std::uint64_t> seed,
                                             const std::function<void(const std::string&)>& say, std::string& error);

/// `v` as indented JSON (two spaces), for a file a person reads.
std::string pretty_json(const boost::json::value& v);

} // namespace compactsim::scenarios
