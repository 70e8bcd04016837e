#pragma once
//! Lets BOOST_TEST print the model's codes in failure messages ("E-2000").

#include <ostream>

#include "sim/status.hpp"
#include "sim/types.hpp"

namespace compactsim::sim {

inline std::ostream& operator<<(std::ostream& os, errc code) { return os << code_name(code); }
inline std::ostream& operator<<(std::ostream& os, compaction_type t) { return os << to_string(t); }
inline std::ostream& operator<<(std::ostream& os, keys_type k) { return os << to_string(k); }

} // namespace compactsim::sim
