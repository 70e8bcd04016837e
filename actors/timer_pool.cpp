#include "actors/timer_pool.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

namespace compactsim::actors {

void timer_pool::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (stopped_)
    return;
  auto id = next_++;
  std::weak_ptr<timer_pool> weak = weak_from_this();
  // The delay travels as a spawn argument: CAF 0.17 dereferences a null
  // argument tuple when a function actor is spawned without arguments (UBSan).
  auto timer = [fn, weak, id](caf::event_based_actor* self, std::chrono::milliseconds wait) -> caf::behavior {
    self->delayed_send(self, wait, caf::atom("fire"));
    return {[=](caf::atom_value) {
      fn();
      if (auto pool = weak.lock())
        pool->done(id);
      self->quit();
    }};
  };
  pending_[id] = sys_.spawn(timer, delay);
}

void timer_pool::done(std::uint64_t id) {
  std::lock_guard<std::mutex> guard{mutex_};
  pending_.erase(id);
}

void timer_pool::stop_all() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopped_ = true;
  }
  cancel_pending();
}

void timer_pool::cancel_pending() {
  std::map<std::uint64_t, caf::actor> pending;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    pending.swap(pending_);
  }
  for (auto& [id, timer] : pending)
    caf::anon_send_exit(timer, caf::exit_reason::kill);
}

std::size_t timer_pool::pending() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return pending_.size();
}

} // namespace compactsim::actors
