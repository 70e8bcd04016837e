#include "sim/doris/status.hpp"

namespace compactsim::sim {

std::string code_name(errc code) {
  switch (code) {
    case errc::ok: return "OK";
    case errc::not_found: return "NOT_FOUND";
    case errc::already_exist: return "ALREADY_EXIST";
    case errc::invalid_argument: return "INVALID_ARGUMENT";
    case errc::internal_error: return "INTERNAL_ERROR";
    case errc::not_implemented_error: return "NOT_IMPLEMENTED_ERROR";
    default: return "E" + std::to_string(static_cast<int>(code));
  }
}

std::string to_string(const status& st) { return "[" + code_name(st.code) + "]" + (st.ok() ? "" : st.msg); }

std::string status_string(errc code) {
  auto text = [](errc c) -> std::string_view {
    switch (c) {
      case errc::cumulative_no_suitable_version: return "_input_rowsets is empty";
      case errc::be_no_suitable_version: return "don't satisfy the base compaction policy";
      case errc::full_no_suitable_version: return "There is no suitable version";
      case errc::cumulative_miss_version: return "There are missed versions among rowsets";
      case errc::full_miss_version: return "Full compaction rowsets' versions not equal to all exist rowsets' versions";
      case errc::try_lock_failed: return "another compaction is running";
      case errc::cumulative_invalid_parameters: return "_tablet init failed";
      case errc::internal_error: return "compaction failed";
      case errc::disk_exceed_capacity: return "disk reach capacity limit";
      default: return "";
    }
  };
  return "[" + code_name(code) + "]" + std::string{text(code)};
}

int numeric_code(errc code) {
  auto n = static_cast<int>(code);
  // Thrift codes had no storage number; 1.x reported them as a generic -1.
  return n > 0 ? -1 : n;
}

} // namespace compactsim::sim
