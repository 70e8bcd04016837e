#include "sim/doris/format.hpp"

#include <chrono>
#include <cstdio>

#include <date/date.h>

namespace compactsim::sim {

std::string rowset_id_string(std::uint64_t id, std::pair<std::uint64_t, std::uint64_t> uid) {
  constexpr std::uint64_t version = 2;
  constexpr std::uint64_t low_56_bits = (std::uint64_t{1} << 56) - 1;
  std::uint64_t hi = (version << 56) | (id & low_56_bits);
  char buf[49];
  std::snprintf(buf, sizeof buf, "%016llx%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(uid.first), static_cast<unsigned long long>(uid.second));
  return buf;
}

std::string pretty_bytes(std::int64_t bytes) {
  if (bytes == 0)
    return "0";
  constexpr double kb = 1024.0, mb = kb * 1024, gb = mb * 1024;
  auto v = static_cast<double>(bytes);
  const char* unit = "B";
  if (v >= gb) {
    v /= gb;
    unit = "GB";
  } else if (v >= mb) {
    v /= mb;
    unit = "MB";
  } else if (v >= kb) {
    v /= kb;
    unit = "KB";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %s", v, unit);
  return buf;
}

std::string format_millis(time_ms t) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds{t}};
  return date::format("%F %T", tp);
}

std::string rowset_info(const rowset& rs, std::pair<std::uint64_t, std::uint64_t> uid) {
  std::string s = "[" + std::to_string(rs.start) + "-" + std::to_string(rs.end) + "] " +
                  std::to_string(rs.segments) + (rs.is_delete ? " DELETE " : " DATA ") +
                  (rs.overlapping ? "OVERLAPPING " : "NONOVERLAPPING ") + rowset_id_string(rs.id, uid) + " " +
                  pretty_bytes(rs.bytes);
  return s;
}

std::string stale_rowset_info(const rowset& rs, std::pair<std::uint64_t, std::uint64_t> uid) {
  return "[" + std::to_string(rs.start) + "-" + std::to_string(rs.end) + "] " + std::to_string(rs.segments) + " " +
         rowset_id_string(rs.id, uid) + " " + pretty_bytes(rs.bytes);
}

} // namespace compactsim::sim
