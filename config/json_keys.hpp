#pragma once
//! Strict keys for the JSON readers: a misspelt member ("fro" for "for")
//! is an error naming it, never a silently ignored default.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace compactsim::config {

/// The first member of `o` not in `allowed`, if any.
inline std::optional<std::string> unknown_key(const boost::json::object& o,
                                              std::initializer_list<std::string_view> allowed) {
  for (const auto& member : o)
    if (std::find(allowed.begin(), allowed.end(), std::string_view{member.key()}) == allowed.end())
      return std::string{member.key()};
  return std::nullopt;
}

/// "unknown key "x" (expected one of: a, b, c)".
inline std::string unknown_key_message(const std::string& key, std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (auto a : allowed)
    list += (list.empty() ? "" : ", ") + std::string{a};
  return "unknown key \"" + key + "\" (expected one of: " + list + ")";
}

} // namespace compactsim::config
