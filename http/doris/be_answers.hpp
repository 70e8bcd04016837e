#pragma once
//! What every BE handler shares: Doris's Status::to_json bodies, the one
//! answer for "the cluster did not answer", and the BE's parameter parsing
//! (std::stoull / std::stoll, as compaction_action.cpp and friends call them).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "http/no_answer.hpp"
#include "sim/doris/status.hpp"

namespace compactsim::http::doris {

/// Status::to_json, pretty-printed: {"status": "<code>", "msg": "<msg>"}.
std::string status_json(std::string_view code, std::string_view msg);
inline std::string status_json(const sim::status& st) { return status_json(sim::code_name(st.code), st.msg); }

/// The cluster did not answer in time (the BE is down, paused or cut off):
/// no_answer_status, with an INTERNAL_ERROR Status::to_json body.
inline response service_error(const std::string& what) {
  return response::json(no_answer_status, status_json("INTERNAL_ERROR", what));
}

/// What std::stoull makes of a parameter: leading blanks and a sign are
/// skipped, a numeric prefix is read ("999abc" is 999), "-1" wraps to
/// 18446744073709551615. Nullopt where stoull throws (no digits, overflow).
std::optional<std::uint64_t> stoull(std::string_view text);

/// std::stoll likewise (no wrap: out of range is nullopt).
std::optional<std::int64_t> stoll(std::string_view text);

/// A stoull result as the model's tablet or table id: ids past int64 are
/// no id of ours (-1, never found).
inline std::int64_t model_id(std::uint64_t v) {
  return v > static_cast<std::uint64_t>(INT64_MAX) ? -1 : static_cast<std::int64_t>(v);
}

} // namespace compactsim::http::doris
