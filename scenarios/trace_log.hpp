#pragma once
//! A run's trace: every event folded into one digest (hashed in binary, so
//! millions of events cost little), counted by node, kind and type for the
//! metrics and the summary, and written as JSON lines only when asked.

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "scenarios/checks.hpp"
#include "sim/core/trace.hpp"

namespace compactsim::scenarios {

class trace_log {
public:
  /// Also writes every event to `path`, one JSON object per line.
  void open(const std::string& path) { file_.open(path, std::ios::trunc); }

  /// A model's event, `t` ms into the run.
  void record(time_ms t, const sim::trace_event& e);
  /// One of the runner's own events (few; their data may hold lists).
  void record(time_ms t, std::string_view node, std::string_view kind, boost::json::object data);

  std::uint64_t events() const { return events_; }
  /// The digest of every event so far, as 16 hex digits.
  std::string digest() const;
  /// Events by "node|kind[|type]" (the metrics read these).
  const event_counts& by_node_kind() const { return by_node_kind_; }
  /// Events by kind, in name order (the summary).
  std::map<std::string, std::uint64_t> by_kind() const;

private:
  void count(std::string_view node, std::string_view kind, std::string_view type);

  std::ofstream file_;
  std::uint64_t digest_ = 1469598103934665603ULL;
  std::uint64_t events_ = 0;
  event_counts by_node_kind_;
};

} // namespace compactsim::scenarios
