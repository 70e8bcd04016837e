#pragma once
//! Pausing a node as SIGSTOP pauses a process: it takes no message until it
//! is resumed, then handles everything that queued meanwhile, in order, its
//! own timers included (they fire late). A crash still takes it down.

#include <caf/behavior.hpp>
#include <caf/skip.hpp>

#include "actors/messages.hpp"

namespace compactsim::actors {

/// Switches `self` (whose behavior type is `Behavior`) to a behavior that
/// only knows "resume"; everything else stays in the mailbox.
template <class Behavior, class Self>
void pause_actor(Self* self) {
  self->set_default_handler(caf::skip);
  self->become(caf::keep_behavior, Behavior{typename Behavior::unsafe_init{}, caf::behavior{[=](pause_atom, bool on) {
                 if (on)
                   return;
                 self->set_default_handler(caf::print_and_drop);
                 self->unbecome();
               }}});
}

} // namespace compactsim::actors
