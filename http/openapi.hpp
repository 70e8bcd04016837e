#pragma once
//! An OpenAPI 3 document of every route the server answers, built from the
//! route tables themselves, so it cannot miss one.

#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "http/route_table.hpp"

namespace compactsim::http {

/// `apis`: (tag, table, server port) of each API ("doris-be", "druid-router", "control").
boost::json::object openapi_document(const std::vector<std::pair<std::string, const route_table*>>& apis);

} // namespace compactsim::http
