#pragma once
//! The scenario reader's parts, shared by scenario.cpp (the top level) and
//! scenario_steps.cpp (steps, checks, durations, ranges). Not a public API.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/fwd.hpp>

#include "scenarios/scenario.hpp"
#include "sim/core/first_error.hpp"
#include "sim/core/rng.hpp"

namespace compactsim::scenarios::detail {

using errors = sim::first_error;

constexpr time_ms max_polls = 1'000'000;
constexpr time_ms max_duration = 8'760LL * 3'600'000; // a year

/// Replaces every {"range": [lo, hi]} by a value the seed picks, in
/// document order, and records each choice.
void resolve_ranges(boost::json::value& v, const std::string& path, sim::rng& r,
                    std::vector<std::pair<std::string, std::string>>& out);
/// Replaces every {"range": [lo, hi]} by its lower (or upper) bound;
/// returns whether there was any.
bool ranges_at_bound(boost::json::value& v, bool upper);
/// Strict keys: the first unknown member of `o` fails at its path.
bool known_keys(const boost::json::object& o, const std::string& path, std::initializer_list<std::string_view> allowed,
                errors& e);
/// `o[key]` as a duration into `out`; absent leaves `out` as it is.
bool read_duration(const boost::json::object& o, std::string_view key, const std::string& path, time_ms& out, errors& e);
bool read_metric(const boost::json::value& v, const std::string& path, metric_check& m, errors& e);
/// One step of "steps"; `index` is its place in the file.
bool read_step(const boost::json::value& v, const std::string& path, std::size_t index, step& s, errors& e);

} // namespace compactsim::scenarios::detail
