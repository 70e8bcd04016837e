#include "sim/doris/be_config.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace compactsim::sim {

namespace {

enum class kind : std::uint8_t { boolean, int32, int64, real };

/// A knob the model honours, with its Doris DEFINE: type and mutability.
struct binding {
  const char* name;
  kind type;
  bool is_mutable;
  bool doris_knobs::*b = nullptr;
  int doris_knobs::*i32 = nullptr;
  std::int64_t doris_knobs::*i64 = nullptr;
  double doris_knobs::*d = nullptr;
  std::int64_t min = std::numeric_limits<std::int64_t>::min(); ///< the DEFINE's validator, if any
};

binding flag(const char* n, bool doris_knobs::*m) { return {n, kind::boolean, true, m}; }
binding i32(const char* n, int doris_knobs::*m, std::int64_t min = std::numeric_limits<std::int64_t>::min()) {
  return {n, kind::int32, true, nullptr, m, nullptr, nullptr, min};
}
/// Doris declares some of these int32 and keeps them in int64 here.
binding i32_of_64(const char* n, std::int64_t doris_knobs::*m) { return {n, kind::int32, true, nullptr, nullptr, m}; }
binding i64(const char* n, std::int64_t doris_knobs::*m) { return {n, kind::int64, true, nullptr, nullptr, m}; }
binding real(const char* n, double doris_knobs::*m) { return {n, kind::real, true, nullptr, nullptr, nullptr, m}; }

/// The be.conf items of compaction that the model honours (DEFINE_m*: all mutable).
const std::vector<binding>& bindings() {
  static const std::vector<binding> b{
    i32_of_64("base_compaction_max_compaction_score", &doris_knobs::base_compaction_max_compaction_score),
    real("base_compaction_min_data_ratio", &doris_knobs::base_compaction_min_data_ratio),
    i64("base_compaction_min_rowset_num", &doris_knobs::base_compaction_min_rowset_num),
    i64("compaction_min_size_mbytes", &doris_knobs::compaction_min_size_mbytes),
    i64("compaction_promotion_min_size_mbytes", &doris_knobs::compaction_promotion_min_size_mbytes),
    real("compaction_promotion_ratio", &doris_knobs::compaction_promotion_ratio),
    i64("compaction_promotion_size_mbytes", &doris_knobs::compaction_promotion_size_mbytes),
    i64("compaction_promotion_version_count", &doris_knobs::compaction_promotion_version_count),
    i32("compaction_task_num_per_disk", &doris_knobs::compaction_task_num_per_disk, 2),
    i32("max_base_compaction_threads", &doris_knobs::max_base_compaction_threads, 1),
    i64("cumulative_compaction_max_deltas", &doris_knobs::cumulative_compaction_max_deltas),
    i64("cumulative_compaction_min_deltas", &doris_knobs::cumulative_compaction_min_deltas),
    i32("cumulative_compaction_rounds_for_each_base_compaction_round",
        &doris_knobs::cumulative_compaction_rounds_for_each_base_compaction_round),
    flag("disable_auto_compaction", &doris_knobs::disable_auto_compaction),
    flag("enable_sleep_between_delete_cumu_compaction", &doris_knobs::enable_sleep_between_delete_cumu_compaction),
    i32_of_64("generate_compaction_tasks_interval_ms", &doris_knobs::generate_compaction_tasks_interval_ms),
    i32_of_64("max_tablet_version_num", &doris_knobs::max_tablet_version_num),
    i64("min_compaction_failure_interval_ms", &doris_knobs::min_compaction_failure_interval_ms),
    i64("pick_rowset_to_compact_interval_sec", &doris_knobs::pick_rowset_to_compact_interval_sec),
    i32_of_64("skip_tablet_compaction_second", &doris_knobs::skip_tablet_compaction_second),
    i32_of_64("tablet_rowset_stale_sweep_time_sec", &doris_knobs::tablet_rowset_stale_sweep_time_sec),
  };
  return b;
}

const char* type_name(kind k) {
  switch (k) {
    case kind::boolean: return "bool";
    case kind::int32: return "int32_t";
    case kind::int64: return "int64_t";
    case kind::real: return "double";
  }
  return "";
}

std::string value_of(const binding& b, const doris_knobs& k) {
  switch (b.type) {
    case kind::boolean: return k.*b.b ? "true" : "false";
    case kind::int32:
    case kind::int64: return std::to_string(b.i32 ? std::int64_t{k.*b.i32} : k.*b.i64);
    case kind::real: {
      std::ostringstream out; // Doris stores `oss << new_value`
      out << k.*b.d;
      return out.str();
    }
  }
  return "";
}

/// Doris's convert(): the whole (trimmed) text or nothing; ints by strtoll
/// in base 10 and within the type's range; bools only "true" and "false".
bool parse_int(std::string_view text, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  std::string s{text};
  if (s.empty())
    return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size() || v < lo || v > hi)
    return false;
  out = v;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

} // namespace

std::vector<config_item> show_config(const doris_knobs& k, const be_identity& id) {
  std::vector<config_item> out;
  for (const auto& b : bindings())
    out.push_back({b.name, type_name(b.type), value_of(b, k), b.is_mutable});
  // Items a BE has that the model does not change: DEFINE_Int32 / DEFINE_String.
  out.push_back({"be_port", "int32_t", std::to_string(id.be_port), false});
  out.push_back({"brpc_port", "int32_t", std::to_string(id.brpc_port), false});
  // compactsim's BEs answer the debug point API, so they run with it on.
  out.push_back({"enable_debug_points", "bool", "true", false});
  out.push_back({"heartbeat_service_port", "int32_t", std::to_string(id.heartbeat_service_port), false});
  out.push_back({"storage_root_path", "std::string", id.storage_root_path, false});
  out.push_back({"webserver_port", "int32_t", std::to_string(id.webserver_port), false});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

namespace {

status set_config_unchecked(doris_knobs& k, std::string_view name, std::string_view raw);

} // namespace

status set_config(doris_knobs& k, std::string_view name, std::string_view raw) {
  // A value Doris would take but the model cannot run with (zero slots, a
  // zero-delay producer) is refused as a DEFINE validator refuses: the
  // knobs stay as they were.
  auto before = k;
  auto st = set_config_unchecked(k, name, raw);
  if (st.ok() && !knob_range_error(k).empty()) {
    k = before;
    return {errc::invalid_argument, "validate " + std::string{name} + "=" + std::string{raw} + " failed"};
  }
  return st;
}

namespace {

status set_config_unchecked(doris_knobs& k, std::string_view name, std::string_view raw) {
  const auto& all = bindings();
  auto it = std::find_if(all.begin(), all.end(), [&](const binding& b) { return name == b.name; });
  if (it == all.end()) {
    for (const char* fixed : {"be_port", "brpc_port", "enable_debug_points", "heartbeat_service_port",
                              "storage_root_path", "webserver_port"})
      if (name == fixed)
        return {errc::not_implemented_error, "'" + std::string{name} + "' is not support to modify"};
    return {errc::not_found, "'" + std::string{name} + "' is not found"};
  }
  const auto& b = *it;
  auto value = trim(raw);
  auto bad = [&] {
    return status{errc::invalid_argument,
                  "convert '" + std::string{raw} + "' as " + type_name(b.type) + " failed"};
  };
  switch (b.type) {
    case kind::boolean:
      if (value != "true" && value != "false")
        return bad();
      k.*b.b = value == "true";
      return status::success();
    case kind::int32:
    case kind::int64: {
      std::int64_t v = 0;
      auto lo = b.type == kind::int32 ? std::int64_t{std::numeric_limits<std::int32_t>::min()}
                                      : std::numeric_limits<std::int64_t>::min();
      auto hi = b.type == kind::int32 ? std::int64_t{std::numeric_limits<std::int32_t>::max()}
                                      : std::numeric_limits<std::int64_t>::max();
      if (!parse_int(value, lo, hi, v))
        return bad();
      if (v < b.min)
        return {errc::invalid_argument, "validate " + std::string{name} + "=" + std::string{raw} + " failed"};
      if (b.i32)
        k.*b.i32 = static_cast<int>(v);
      else
        k.*b.i64 = v;
      return status::success();
    }
    case kind::real: {
      std::string s{value};
      if (s.empty())
        return bad();
      errno = 0;
      char* end = nullptr;
      double v = std::strtod(s.c_str(), &end);
      if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v))
        return bad();
      k.*b.d = v;
      return status::success();
    }
  }
  return bad();
}

} // namespace

} // namespace compactsim::sim
