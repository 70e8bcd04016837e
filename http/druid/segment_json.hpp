#pragma once
//! DataSegment as Druid's coordinator serializes it.

#include <string>

#include <boost/json/object.hpp>

#include "sim/druid/segments.hpp"

namespace compactsim::http {

/// One segment of `tl` as DataSegment JSON; `with_compaction_state` for the
/// metadata store's copy (served segments have it pruned).
boost::json::object segment_json(const std::string& ds, const sim::druid::timeline& tl, const sim::druid::segment& s,
                                 bool with_compaction_state);

} // namespace compactsim::http
