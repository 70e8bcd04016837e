#pragma once
//! The coordinator's compaction config and status as Druid writes them, by
//! version, and a ClusterCompactionConfig body as Jackson reads one.
//!
//! Druid 31 adds `compactionPolicy` to the config (DruidCompactionConfig)
//! and to each history entry's `globalConfig` (ClusterCompactionConfig), and
//! `message` to AutoCompactionSnapshot; Druid 30 has none of them.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "http/message.hpp"
#include "sim/druid/config.hpp"
#include "sim/druid/coordinator.hpp"
#include "sim/druid/duty.hpp"

namespace compactsim::http {

/// {"type": "newestSegmentFirst", "priorityDatasource": ...}.
boost::json::object policy_json(const sim::druid::compaction_policy& p);
/// GET /druid/coordinator/v1/config/compaction.
boost::json::object cluster_config_json(const sim::druid::cluster_compaction_config& c, int version);
/// GET .../config/compaction/{dataSource}/history: DataSourceCompactionConfigHistory's entries.
boost::json::array history_json(const std::vector<sim::druid::history_entry>& entries, int version);
/// AutoCompactionSnapshot.
boost::json::object snapshot_json(const sim::druid::auto_compaction_snapshot& s, int version);

/// GET .../compaction/status[?dataSource=]: {"latestStatus": [...]}. Druid
/// 30's CompactionResource answers an unknown datasource 404 {"error":
/// "unknown dataSource"}; Druid 31's a NotFound DruidException.
response status_answer(const sim::druid::compaction_status& st, const std::optional<std::string>& ds, int version);
/// GET .../compaction/progress?dataSource=: {"remainingSegmentSize": n}.
/// Druid 31 refuses a missing datasource (InvalidInput, 400).
response progress_answer(const sim::druid::compaction_status& st, const std::optional<std::string>& ds, int version);

/// A ClusterCompactionConfig as Jackson reads it (Druid 31): every field
/// optional, unknown ones ignored, numbers from numeric strings. nullopt
/// with Jackson's message (for a 400) when the body does not map.
std::optional<sim::druid::cluster_update> read_cluster_update(const boost::json::value& v, std::string& error);

} // namespace compactsim::http
