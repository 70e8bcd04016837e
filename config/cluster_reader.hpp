#pragma once
//! Reads a cluster description (`serve --config`, a scenario's "cluster",
//! POST /sim/v1/reset) from JSON into the model's typed config.

#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "sim/cluster_config.hpp"

namespace compactsim::config {

/// Parses a cluster description over the defaults; on error returns nullopt
/// and sets `error` to a message naming the offending field.
std::optional<sim::cluster_config> parse_cluster_config(const boost::json::value& v, std::string& error);

} // namespace compactsim::config
