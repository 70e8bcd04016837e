#pragma once
//! Parsers of JSON documents (scenarios, faults) report the first error
//! they meet, prefixed with the JSON path where it happened.

#include <string>

namespace compactsim::sim {

struct first_error {
  std::string& out;
  /// Records "path: msg" unless an error is already recorded; returns false.
  bool fail(const std::string& path, const std::string& msg) {
    if (out.empty())
      out = path + ": " + msg;
    return false;
  }
};

} // namespace compactsim::sim
