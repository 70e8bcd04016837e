#pragma once
//! CompactionStatus: whether a candidate's segments are already compacted
//! as a datasource's config asks (the ten checks of Druid's
//! CompactionStatus.Evaluator, in order), and the partitionsSpec and
//! indexSpec as both the config check and a task's stored state spell them.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sim/druid/config.hpp"
#include "sim/druid/segments.hpp"

namespace compactsim::sim::druid {

/// Why `segs` still need compaction under `cfg`; nullopt when they are
/// already compacted (CompactionStatus's ten checks, in order, worded as
/// Druid 31's CompactionStatus, where the simulator shows them).
std::optional<std::string> needs_compaction(const timeline& t, const std::vector<const segment*>& segs,
                                            const datasource_config& cfg);

/// The partitionsSpec and indexSpec as both the config check and a task's
/// stored compaction state spell them.
std::string canonical_partitions(const boost::json::value& tuning, std::optional<std::int64_t> max_rows);
std::string canonical_index_spec(const boost::json::value& tuning);

} // namespace compactsim::sim::druid
