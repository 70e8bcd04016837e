#pragma once
//! What a run leaves behind: a summary table for the terminal, JUnit XML
//! for CI, and a JSON report.

#include <string>

#include "scenarios/runner.hpp"

namespace compactsim::scenarios {

/// The end-of-run table: events, faults, compactions and tasks, final
/// metrics, every check with its result.
std::string summary_table(const scenario& sc, const run_result& r, bool failures_only = false);

/// One testsuite per scenario, one testcase per assertion, invariant and
/// liveness check.
std::string junit_xml(const scenario& sc, const run_result& r);

/// Everything above as JSON (with the swarm's choices and the trace digest).
std::string report_json(const scenario& sc, const run_result& r);

/// Text as an XML attribute or element body: & < > " ' escaped.
std::string xml_escape(const std::string& s);

} // namespace compactsim::scenarios
