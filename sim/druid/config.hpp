#pragma once
//! The coordinator's auto-compaction configuration as Druid 30 stores it:
//! per-datasource configs with Druid's defaults, the cluster-wide slot
//! settings, and the audit history of every change. JSON in and out in
//! Druid's shapes (every field present, nulls explicit, its field order).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "sim/core/iso8601.hpp"

namespace compactsim::sim::druid {

/// DataSourceCompactionConfig.
struct datasource_config {
  std::string data_source;
  std::int64_t task_priority = 25;
  std::int64_t input_segment_size_bytes = 100'000'000'000'000;
  std::optional<std::int64_t> max_rows_per_segment;
  period skip_offset_from_latest{.days = 1};
  boost::json::value tuning_config;     ///< null or the normalized index_parallel shape
  bool has_granularity_spec = false;
  std::optional<granularity> segment_granularity;
  std::optional<granularity> query_granularity;
  std::optional<bool> rollup;
  boost::json::value dimensions_spec;   ///< null or {"dimensions": [...]}
  boost::json::value metrics_spec;      ///< null or an array of aggregators
  boost::json::value transform_spec;    ///< null or {"filter": ...}
  boost::json::value io_config;         ///< null or {"dropExisting": bool}
  boost::json::value task_context;      ///< null or an object

  /// The JSON a GET returns.
  boost::json::object to_json() const;
  bool operator==(const datasource_config& o) const { return to_json() == o.to_json(); }
};

/// Parses a POSTed config as Druid's Jackson would: unknown fields ignored,
/// defaults filled in; on error returns nullopt with Druid's message.
std::optional<datasource_config> parse_datasource_config(const boost::json::value& v, std::string& error);

/// How Jackson names a JSON value it could not map ("String \"x\"",
/// "Array value (token `JsonToken.START_ARRAY`)", ...).
std::string jackson_describe(const boost::json::value& v);

/// A DimensionSchema as Jackson writes it back: a bare name is a string
/// dimension (DimensionSchema's default type); StringDimensionSchema and the
/// numeric ones get their defaults (multiValueHandling SORTED_ARRAY,
/// createBitmapIndex true for strings, false for numbers). Other types
/// (json, auto, spatial) stay as given.
boost::json::value dimension_schema(const boost::json::value& d);
/// dimension_schema over a list; anything else as given.
boost::json::value dimension_schemas(const boost::json::value& dims);
/// The aggregator a compaction task writes for one of its inputs' metrics
/// when it is given none (CompactionTask#createMetricsSpec takes each
/// AggregatorFactory#getCombiningFactory): LongSumAggregatorFactory(name,
/// name) for the simulated datasources' count and longSum metrics.
boost::json::object combining_aggregator(const std::string& metric);

/// PartitionsSpec.DEFAULT_MAX_ROWS_PER_SEGMENT.
inline constexpr std::int64_t default_max_rows_per_segment = 5'000'000;

/// The normalized partitionsSpec a config or task means (dynamic by default).
boost::json::object normalized_partitions_spec(const boost::json::value& tuning, std::optional<std::int64_t> max_rows);
/// Task slots one compaction task with this tuningConfig occupies.
int slots_for(const boost::json::value& tuning);

/// NewestSegmentFirstPolicy, the one CompactionCandidateSearchPolicy of
/// Druid 31 (Druid 30 has no policy: its duty always searches newest first).
/// A priority datasource's candidates go before every other's.
struct compaction_policy {
  std::optional<std::string> priority_datasource; ///< null unless given; "" means none too
  bool operator==(const compaction_policy&) const = default;
  /// BaseCandidateSearchPolicy: null and "" put no datasource first.
  std::string first() const { return priority_datasource.value_or(""); }
};

/// CoordinatorCompactionConfig. Datasource configs are kept by name; the
/// list Druid prints comes out in java.util.HashMap order (Druid rebuilds it
/// through a HashMap on every write): by bucket, then by first insertion.
struct cluster_compaction_config {
  double slot_ratio = 0.1;
  std::int64_t max_slots = 2147483647;
  bool use_auto_scale_slots = false;
  compaction_policy policy;  ///< Druid 31's compactionPolicy (the default until POSTed)

  const datasource_config* find(const std::string& ds) const;
  /// Adds or replaces `c` (a replaced config keeps its place).
  void put(datasource_config c);
  bool erase(const std::string& ds);
  bool empty() const { return configs_.empty(); }
  std::size_t size() const { return configs_.size(); }
  /// Every config in Druid's order.
  std::vector<const datasource_config*> ordered() const;

  boost::json::object to_json() const;
  /// {"compactionTaskSlotRatio", "maxCompactionTaskSlots", "useAutoScaleSlots"}.
  boost::json::object global_json() const;

private:
  struct entry {
    std::uint64_t seq = 0;
    datasource_config config;
  };
  std::map<std::string, entry> configs_;
  std::uint64_t next_seq_ = 0;
};

/// Who changed the config (from X-Druid-Author / X-Druid-Comment and the client).
struct audit_info {
  std::string author;
  std::string comment;
  std::string ip;
};

/// One stored change: Druid stores the whole config each time; this keeps
/// the one datasource's config it changed (or none for a slot change) and
/// the global settings after it, which is all the history needs.
struct audit_record {
  std::string data_source;                    ///< "" for a slot change
  std::optional<datasource_config> config;    ///< after the change; nullopt when removed
  double slot_ratio = 0.1;
  std::int64_t max_slots = 2147483647;
  bool use_auto_scale_slots = false;
  compaction_policy policy;
  audit_info info;
  time_ms time = 0;
};

/// POST /druid/coordinator/v1/config/compaction/taskslots, or Druid 31's
/// POST .../config/compaction/cluster (a ClusterCompactionConfig): what
/// changes. An absent field keeps its value (DruidCompactionConfig#withClusterConfig).
struct cluster_update {
  std::optional<double> ratio;
  std::optional<std::int64_t> max;
  std::optional<bool> auto_scale;
  std::optional<compaction_policy> policy;
};

/// One entry of DataSourceCompactionConfigHistory: the datasource's config
/// and the global settings after a change, who made it and when.
struct history_entry {
  std::optional<datasource_config> config;    ///< nullopt once removed (written as null)
  double slot_ratio = 0.1;
  std::int64_t max_slots = 2147483647;
  bool use_auto_scale_slots = false;
  compaction_policy policy;   ///< written by Druid 31 only (ClusterCompactionConfig's fourth field)
  audit_info info;
  time_ms time = 0;
};

/// GET .../config/compaction/{dataSource}/history: which entries.
struct history_query {
  std::string data_source;
  std::optional<interval> range;
  std::optional<std::int64_t> count;
};

/// The coordinator's config with its audit log. Writes that change nothing
/// store nothing, as Druid's compare-and-swap does.
class compaction_config_store {
public:
  const cluster_compaction_config& current() const { return current_; }
  /// Adds or replaces a datasource's config; returns true when it changed.
  bool upsert(datasource_config c, const audit_info& who, time_ms now);
  /// False when the datasource has no config (Druid: 404, empty body).
  bool remove(const std::string& ds, const audit_info& who, time_ms now);
  /// The cluster-wide settings (withClusterConfig); a change that changes
  /// nothing stores nothing.
  void set_cluster(const cluster_update& u, const audit_info& who, time_ms now);
  /// DataSourceCompactionConfigHistory over the audit rows picked as
  /// SQLAuditManager does: the last `count` newest-first when only a count
  /// is given, else the rows in `range` (default: the last week) oldest-first.
  std::vector<history_entry> history(const std::string& ds, std::optional<interval> range,
                                     std::optional<std::int64_t> count, time_ms now) const;
  const std::vector<audit_record>& audit() const { return audit_; }

private:
  void record(std::string ds, std::optional<datasource_config> c, const audit_info& who, time_ms now);

  cluster_compaction_config current_;
  std::vector<audit_record> audit_;
};

/// Java's String.hashCode.
std::int32_t java_string_hash(const std::string& s);
/// The order a java.util.HashMap built by inserting `keys` in order iterates them.
std::vector<std::string> java_hash_order(const std::vector<std::string>& keys);
/// The same order as positions into `keys` (no string is copied).
std::vector<std::size_t> java_hash_permutation(const std::vector<const std::string*>& keys);

/// A Granularity as Jackson reads one in Druid 30 (GranularityModule's
/// mix-in): a GranularityType name, any case; {"type": "all"} or "none"; or
/// {"type": "period", "period": P} that equals a standard granularity (UTC,
/// no origin), which Druid prints back by its name. nullopt with Jackson's
/// `problem` otherwise. Periods that no standard granularity has (PT4H) and
/// duration granularities are refused too: the model's buckets are the
/// standard ones (the README says so).
std::optional<granularity> granularity_from_json(const boost::json::value& v, std::string& problem);

/// How Druid prints a granularity: the name, or {"type": "all"} and
/// {"type": "none"} (those two are not JsonSerializable, so Jackson writes
/// the bean with its type id).
boost::json::value granularity_json(granularity g);

} // namespace compactsim::sim::druid
