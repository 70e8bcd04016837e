#pragma once
//! A BE's configuration as ConfigAction shows and changes it
//! (GET /api/show_config, POST /api/update_config): Doris's item names,
//! C++ type names, values and mutability (be/src/common/config.cpp), bound to
//! the knobs the model honours. Changing a mutable item changes the live
//! model at once, as config::set_config does on a real BE.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/doris/knobs.hpp"
#include "sim/doris/status.hpp"

namespace compactsim::sim {

/// One row of /api/show_config: [name, type, value, mutable].
struct config_item {
  std::string name;
  std::string type;      ///< "bool", "int32_t", "int64_t", "double", "std::string"
  std::string value;     ///< bools as "true"/"false"
  bool is_mutable = false;
};

/// What a BE is, beyond its knobs (the immutable items show these).
struct be_identity {
  int webserver_port = 8040;
  int be_port = 9060;
  int brpc_port = 8060;
  int heartbeat_service_port = 9050;
  std::string storage_root_path = "/opt/apache-doris/be/storage";
};

/// name=value pairs of one update_config call, in the request's order.
using config_updates = std::vector<std::pair<std::string, std::string>>;

/// Every item, sorted by name as Doris's std::map is.
std::vector<config_item> show_config(const doris_knobs& k, const be_identity& id);

/// config::set_config(name, value): the item's new value in `k`, or Doris's
/// error (state unchanged): NOT_FOUND "'x' is not found",
/// NOT_IMPLEMENTED_ERROR "'x' is not support to modify",
/// INVALID_ARGUMENT "convert 'v' as T failed" or "validate x=v failed".
status set_config(doris_knobs& k, std::string_view name, std::string_view value);

} // namespace compactsim::sim
