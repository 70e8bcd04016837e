#pragma once
//! What the compaction config's reader (config.cpp) and its tuningConfig
//! reader (tuning.cpp) share: Jackson's reference chains and its integer
//! coercion. Internal to the two files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace compactsim::sim::druid::detail {

inline constexpr std::string_view config_class = "org.apache.druid.server.coordinator.DataSourceCompactionConfig";

/// Jackson's suffix naming the field that failed.
std::string chain(std::string_view field);
/// An integer field as Jackson coerces it (numbers, numeric strings);
/// false with Jackson's message in `error`.
bool read_int(const boost::json::object& o, std::string_view key, std::string_view java_type,
              std::optional<std::int64_t>& out, std::string& error);
/// A long or null.
boost::json::value opt(const std::optional<std::int64_t>& v);
/// UserCompactionTaskQueryTuningConfig normalised: every field in Druid's
/// order, nulls explicit, the partitionsSpec checked.
bool normalize_tuning(const boost::json::value& in, boost::json::value& out, std::string& error);

} // namespace compactsim::sim::druid::detail
