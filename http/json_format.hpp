#pragma once
//! JSON text the way the real servers print it.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace compactsim::http {

/// rapidjson PrettyWriter style: 4-space indent, `"key": value`, keys in
/// insertion order, empty containers as [] and {}.
std::string pretty_json(const boost::json::value& v);

/// Jackson's compact form, as Druid prints: no spaces, keys in insertion
/// order, doubles as Java's Double.toString ("0.1", "1.0", "1.0E-4"), and
/// NaN and the infinities quoted ("NaN"), as Jackson writes them by default.
std::string jackson_json(const boost::json::value& v);

/// Java's Double.toString.
std::string java_double(double d);

/// A JSON string literal (quoted, escaped).
std::string quoted(std::string_view s);

} // namespace compactsim::http
