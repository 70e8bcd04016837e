#pragma once
//! The compact task spec CompactSegments submits for a candidate.

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "sim/druid/config.hpp"

namespace compactsim::sim::druid {

/// ClientCompactionTaskQuery for `cfg` over `span`: the config's tuning
/// (ClientCompactionTaskQueryTuningConfig#from), granularities, dimensions,
/// metrics, filter and context, with storeCompactionState and the priority.
/// `all_tombstones` forces dropExisting, as CompactSegments does.
boost::json::object task_spec(const std::string& id, const datasource_config& cfg, interval span,
                              std::optional<granularity> segment_granularity, bool all_tombstones);

} // namespace compactsim::sim::druid
