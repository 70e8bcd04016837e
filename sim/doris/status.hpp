#pragma once
//! Doris storage-engine results as the model returns them. A code exists here
//! only where a caller reacts to it differently (a distinct HTTP body, a
//! metric, a retry).

#include <cstdint>
#include <string>
#include <string_view>

namespace compactsim::sim {

/// Outcomes of model operations, with Doris's numeric codes where Doris has one.
enum class errc : std::int16_t {
  ok = 0,
  not_found = 1,                       ///< thrift NOT_FOUND
  already_exist = 2,                   ///< thrift ALREADY_EXIST
  invalid_argument = 3,                ///< thrift INVALID_ARGUMENT
  internal_error = 4,                  ///< thrift INTERNAL_ERROR (injected failures)
  not_implemented_error = 5,           ///< thrift NOT_IMPLEMENTED_ERROR (immutable config, bad parameter)
  try_lock_failed = -216,              ///< another compaction holds the tablet lock
  too_many_version = -235,             ///< load rejected: version count over the limit
  be_no_suitable_version = -808,       ///< base compaction: nothing to do
  cumulative_no_suitable_version = -2000,
  cumulative_invalid_parameters = -2002, ///< tablet not RUNNING
  cumulative_miss_version = -2006,     ///< version hole among base/full inputs
  full_no_suitable_version = -2008,
  full_miss_version = -2009,
  disk_exceed_capacity = -7,           ///< disk full (loads and compactions fail)
};

/// A result with its message, as Doris's Status carries one.
struct status {
  errc code = errc::ok;
  std::string msg;

  bool ok() const { return code == errc::ok; }
  static status success() { return {}; }
};

/// Doris's printable code: thrift names for positive codes, "E<n>" otherwise.
std::string code_name(errc code);

/// Doris's Status::to_string: "[OK]", "[NOT_FOUND]'x' is not found".
std::string to_string(const status& st);

/// Doris's Status::to_string for a remembered code: "[OK]", "[E-2000]_input_rowsets is empty".
std::string status_string(errc code);

/// The numeric code Doris 1.x printed ("error = -2000").
int numeric_code(errc code);

} // namespace compactsim::sim
