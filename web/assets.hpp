#pragma once
//! The files the dashboard and the HTML report are made of (pages, scripts,
//! styles and the pinned uPlot from web/node_modules), embedded in the
//! binary at build time: nothing is fetched when a page opens.

#include <optional>
#include <string_view>
#include <vector>

namespace compactsim::web {

struct asset {
  std::string_view name;          ///< "dashboard.js", "uPlot.min.js", ...
  std::string_view content_type;
  std::string_view body;
};

const std::vector<asset>& assets();

/// The asset called `name`, if there is one.
inline std::optional<asset> find_asset(std::string_view name) {
  for (const auto& a : assets())
    if (a.name == name)
      return a;
  return std::nullopt;
}

} // namespace compactsim::web
