#pragma once
// The Doris BE API's documented responses and bad inputs, written once and
// checked through any transport: the route table in-process, or a real
// loopback listener with a real Beast client.

#include <functional>
#include <string>

#include "http/message.hpp"
#include "sim/cluster_config.hpp"

namespace compactsim::test {

/// Sends `method target` to BE 0 and returns the answer.
using caller = std::function<http::response(const std::string& method, const std::string& target)>;

/// Every documented response of the profile on a fresh default cluster
/// (tablet 10015 with its 20 loaded rowsets, 11308 idle).
void check_documented_responses(const caller& call, sim::api_profile profile);

/// Every bad input gets the profile's clear JSON error and changes nothing.
void check_bad_inputs(const caller& call, sim::api_profile profile);

} // namespace compactsim::test
