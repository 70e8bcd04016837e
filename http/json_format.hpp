#pragma once
//! JSON text the way the real servers print it.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace compactsim::http {

/// rapidjson PrettyWriter style: 4-space indent, `"key": value`, keys in
/// insertion order, empty containers as [] and {}.
std::string pretty_json(const boost::json::value& v);

/// A JSON string literal (quoted, escaped).
std::string quoted(std::string_view s);

} // namespace compactsim::http
