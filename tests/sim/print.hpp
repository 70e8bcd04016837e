#pragma once
//! Lets BOOST_TEST print the model's codes in failure messages ("E-2000").

#include <ostream>

#include <optional>

#include "sim/druid/duty.hpp"
#include "sim/druid/overlord.hpp"
#include "sim/doris/status.hpp"
#include "sim/doris/types.hpp"

namespace compactsim::sim {

inline std::ostream& operator<<(std::ostream& os, errc code) { return os << code_name(code); }
inline std::ostream& operator<<(std::ostream& os, compaction_type t) { return os << to_string(t); }
inline std::ostream& operator<<(std::ostream& os, keys_type k) { return os << to_string(k); }

} // namespace compactsim::sim

namespace compactsim::sim::druid {

inline std::ostream& operator<<(std::ostream& os, granularity g) { return os << to_string(g); }
inline std::ostream& operator<<(std::ostream& os, const std::optional<granularity>& g) {
  return g ? os << to_string(*g) : os << "null";
}
inline std::ostream& operator<<(std::ostream& os, const compaction_stats& s) {
  return os << "{bytes " << s.bytes << ", segments " << s.segments << ", intervals " << s.intervals << "}";
}
inline std::ostream& operator<<(std::ostream& os, task_state s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, runner_state s) { return os << to_string(s); }

} // namespace compactsim::sim::druid
