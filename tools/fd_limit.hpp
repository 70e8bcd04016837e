#pragma once
//! The long-running commands keep a connection budget per listener (1,024
//! by default): the process's descriptor limit must hold all of them, so
//! its soft limit is raised toward the hard one at start.

#include <algorithm>

#include <sys/resource.h>

namespace compactsim::tools {

/// Raises RLIMIT_NOFILE's soft limit to min(hard, `wanted`); best effort.
inline void raise_fd_limit(rlim_t wanted = 65536) {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0)
    return;
  auto target = l.rlim_max == RLIM_INFINITY ? wanted : std::min(l.rlim_max, wanted);
  if (l.rlim_cur < target) {
    l.rlim_cur = target;
    ::setrlimit(RLIMIT_NOFILE, &l);
  }
}

} // namespace compactsim::tools
