#pragma once
//! `compactsim run FILE --html report.html`: the run as one self-contained
//! page (uPlot, the script and the data inline; nothing to fetch).

#include <string>

#include "scenarios/runner.hpp"

namespace compactsim::scenarios {

/// The page. `r` should come from a run with run_options::record_series,
/// or the page has no charts over time.
std::string html_report(const scenario& sc, const run_result& r);

} // namespace compactsim::scenarios
