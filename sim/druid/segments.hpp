#pragma once
//! Druid's segment metadata: segments, their compaction states, and the
//! used-segment timeline of each datasource. A datasource's timeline is
//! copy-on-write, so the coordinator's duty can take a snapshot of every
//! timeline (as Druid's DataSourcesSnapshot does) without copying segments.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/iso8601.hpp"

namespace compactsim::sim::druid {

/// What a compaction task with storeCompactionState recorded on its output
/// (Druid's CompactionState). JSON fields are kept as canonical strings so
/// the "already compacted" checks compare them exactly.
struct compaction_state {
  std::string partitions_spec;               ///< normalized partitionsSpec JSON
  std::string index_spec;                    ///< indexSpec JSON
  std::optional<granularity> segment_granularity;
  std::optional<granularity> query_granularity;
  std::optional<bool> rollup;
  std::string dimensions;                    ///< the data schema's DimensionSchema list JSON ("" when none)
  std::string metrics;                       ///< the data schema's aggregators JSON ("" when none)
  std::string filter;                        ///< transformSpec filter JSON, "" when none

  bool operator==(const compaction_state&) const = default;
  auto operator<=>(const compaction_state&) const = default;
};

/// What a compaction task stamped on its segments: its compaction state
/// (shared by every task of the same spec) and its data schema's interval
/// (granularitySpec.intervals, the task's umbrella), which makes each task's
/// CompactionState its own, as Druid's equals has it.
struct state_stamp {
  std::uint32_t state = 0; ///< index + 1 into the timeline's states
  interval umbrella;
};

/// One used segment: 64 bytes. Columns and compaction states are interned
/// per store and referenced by index.
struct segment {
  interval span;
  time_ms version = 0;            ///< the lock version, an ISO instant in Druid
  std::int64_t size = 0;          ///< bytes
  std::int64_t rows = 0;
  std::int32_t partition = 0;
  std::int32_t partitions = 0;    ///< core partitions of its chunk (numbered shardSpec)
  std::uint32_t state = 0;        ///< state stamp + 1, 0 when never compacted with storeCompactionState
  std::uint16_t schema = 0;       ///< index into the store's schemas
  bool tombstone = false;
};

/// Columns of a segment.
struct segment_schema {
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;
  granularity query_granularity = granularity::none;
  bool rollup = false;
  bool operator==(const segment_schema&) const = default;
};

/// One datasource's visible (non-overshadowed) segments, sorted by
/// (start, end, version, partition), with its interned columns and
/// compaction states: a snapshot of it is self-contained.
struct timeline {
  std::string name;
  std::vector<segment> segments;
  std::vector<segment_schema> schemas;
  std::vector<compaction_state> states;
  std::vector<state_stamp> stamps;

  std::uint16_t intern(const segment_schema& s);
  std::uint32_t intern(const compaction_state& s);
  /// The stamp (+ 1) for a task's state and umbrella: a new one unless it
  /// is the last one made (one task's segments share it).
  std::uint32_t stamp(const compaction_state& s, const interval& umbrella);
  const segment_schema& schema(const segment& s) const { return schemas.at(s.schema); }
  /// nullptr for a segment never compacted with storeCompactionState.
  const compaction_state* state(const segment& s) const {
    return s.state == 0 ? nullptr : &states.at(stamps.at(s.state - 1).state - 1);
  }
  /// The interval the compacting task's granularitySpec named; nullptr as for state().
  const interval* state_interval(const segment& s) const { return s.state == 0 ? nullptr : &stamps.at(s.state - 1).umbrella; }

  /// Latest segment end; nullopt when empty.
  std::optional<time_ms> latest() const;
  /// Visible segments overlapping `i`, in timeline order.
  std::vector<const segment*> overlapping(const interval& i) const;
  std::int64_t total_bytes() const;
};

/// Druid's metadata store of used segments, plus the interned tables.
class segment_store {
public:
  /// Adds `s` to `ds` in timeline order.
  void add(const std::string& ds, segment s);
  /// The timeline of `ds` for writing (created when missing; copied when a
  /// snapshot shares it). Keep segments sorted.
  timeline& writable(const std::string& ds);
  /// Publishes `outputs` (all of one new version): segments of `ds` fully
  /// inside one of `replace` with a lower version become unused (overshadowed).
  void publish(const std::string& ds, const std::vector<interval>& replace, std::vector<segment> outputs);
  /// Marks every segment of `ds` with an id in `ids` unused; returns how many.
  std::size_t mark_unused(const std::string& ds, const std::vector<std::string>& ids);

  const timeline* find(const std::string& ds) const;
  /// Every datasource with at least one used segment, by name.
  std::vector<std::shared_ptr<const timeline>> snapshot() const;
  const std::map<std::string, std::shared_ptr<timeline>>& datasources() const { return datasources_; }
  std::size_t segment_count() const { return segments_; }

private:
  std::map<std::string, std::shared_ptr<timeline>> datasources_;
  std::size_t segments_ = 0;
};

/// "wikipedia_2020-01-01T00:00:00.000Z_2020-01-02T00:00:00.000Z_<version>[_<partition>]".
std::string segment_id(const std::string& ds, const segment& s);

/// Timeline order.
inline bool segment_less(const segment& a, const segment& b) {
  if (a.span.start != b.span.start)
    return a.span.start < b.span.start;
  if (a.span.end != b.span.end)
    return a.span.end < b.span.end;
  if (a.version != b.version)
    return a.version < b.version;
  return a.partition < b.partition;
}

} // namespace compactsim::sim::druid
