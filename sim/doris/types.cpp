#include "sim/doris/types.hpp"

namespace compactsim::sim {

std::string_view to_string(keys_type k) {
  switch (k) {
    case keys_type::dup_keys: return "DUP_KEYS";
    case keys_type::agg_keys: return "AGG_KEYS";
    case keys_type::unique_keys: return "UNIQUE_KEYS";
  }
  return "";
}

std::string_view to_string(compaction_type t) {
  switch (t) {
    case compaction_type::cumulative: return "cumulative";
    case compaction_type::base: return "base";
    case compaction_type::full: return "full";
  }
  return "";
}

std::string_view to_string(tablet_state s) {
  return s == tablet_state::running ? "RUNNING" : "NOTREADY";
}

std::optional<keys_type> parse_keys_type(std::string_view s) {
  if (s == "DUP_KEYS") return keys_type::dup_keys;
  if (s == "AGG_KEYS") return keys_type::agg_keys;
  if (s == "UNIQUE_KEYS") return keys_type::unique_keys;
  return std::nullopt;
}

std::optional<compaction_type> parse_compaction_type(std::string_view s) {
  // Case-sensitive, as Doris compares compact_type.
  if (s == "cumulative") return compaction_type::cumulative;
  if (s == "base") return compaction_type::base;
  if (s == "full") return compaction_type::full;
  return std::nullopt;
}

} // namespace compactsim::sim
