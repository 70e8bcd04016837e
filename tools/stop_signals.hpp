#pragma once
//! SIGINT and SIGTERM for the long-running commands: blocked in every thread
//! (call before any thread starts), then taken by the main thread, which
//! stops everything in order.

#include <csignal>

#include <pthread.h>

namespace compactsim::tools {

inline sigset_t stop_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

/// Blocks SIGINT and SIGTERM in this thread and every thread it starts.
inline void block_stop_signals() {
  auto set = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

/// Waits for SIGINT or SIGTERM (sent to the process); returns which.
inline int wait_for_stop_signal() {
  auto set = stop_signal_set();
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

} // namespace compactsim::tools
