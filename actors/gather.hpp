#pragma once
//! Gathers replies from many actors and completes once all arrived (or
//! failed): the control service's fan-out to every node.

#include <cstddef>
#include <functional>

namespace compactsim::actors {

template <class State>
struct gather {
  State state;
  std::size_t pending = 0;
  std::function<void(State&)> done;

  void arrived() {
    if (--pending == 0)
      done(state);
  }
};

} // namespace compactsim::actors
