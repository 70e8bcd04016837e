#pragma once
//! The simulated network as the actors use it: every message between nodes
//! (the Doris coordinator and its BEs, the Druid coordinator, overlord and
//! workers) goes through net_send or net_request, which ask the shared
//! sim::network_model whether it is lost, late or doubled. With no network
//! fault active they cost one atomic load and send directly.
//!
//! Lost requests look to the caller as they do in a real cluster: nothing
//! comes back, and its timeout fires. Late ones arrive late, out of order
//! with their successors; duplicated ones arrive twice.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "actors/messages.hpp"
#include "actors/sim_clock.hpp"
#include "sim/core/network.hpp"

namespace compactsim::actors {

/// A shared handle on the cluster's network model; safe from any thread.
class network {
public:
  explicit network(std::uint64_t seed = 0) : state_(std::make_shared<state>(seed)) {}

  /// No rule is active: messages go straight through.
  bool quiet() const { return !state_->busy.load(std::memory_order_acquire); }

  sim::link_decision decide(std::string_view from, std::string_view to) const {
    std::lock_guard<std::mutex> guard{state_->mutex};
    return state_->model.decide(from, to);
  }
  void add(const std::string& id, sim::link_rule rule) {
    std::lock_guard<std::mutex> guard{state_->mutex};
    state_->model.add(id, std::move(rule));
    state_->busy.store(true, std::memory_order_release);
  }
  void remove(const std::string& id) {
    std::lock_guard<std::mutex> guard{state_->mutex};
    state_->model.remove(id);
    state_->busy.store(!state_->model.empty(), std::memory_order_release);
  }

private:
  struct state {
    explicit state(std::uint64_t seed) : model(seed) {}
    std::mutex mutex;
    sim::network_model model;
    std::atomic<bool> busy{false};
  };
  std::shared_ptr<state> state_;
};

/// Runs `fn` on `self` after `sim_ms` of simulated time (the actor must
/// handle deferred_atom).
template <class Self>
void defer(Self* self, const sim_clock& clock, sim::time_ms sim_ms, deferred_fn fn) {
  self->delayed_send(self, clock.delay(sim_ms), deferred_atom::value, std::move(fn));
}

/// Sends a one-way message from node `from` to node `to` (anonymously: any
/// answer the receiver gives is not wanted).
template <class Dest, class... Ts>
void net_send(const network& net, const sim_clock& clock, std::string_view from, std::string_view to,
              const Dest& dest, const Ts&... xs) {
  if (net.quiet()) {
    caf::anon_send(dest, xs...);
    return;
  }
  auto d = net.decide(from, to);
  if (d.drop)
    return;
  for (int copy = 0; copy < (d.duplicate ? 2 : 1); ++copy) {
    if (d.delay > 0)
      caf::delayed_anon_send(dest, clock.delay(d.delay), xs...);
    else
      caf::anon_send(dest, xs...);
  }
}

/// A request from node `from` to node `to` whose answer is an `R`.
/// `timeout` bounds the wait (simulated ms; nullopt: none). A request or
/// answer lost on the way reaches `on_error` after `lost_after` simulated ms
/// (the caller's own failure detector: its timeout, or Druid's cleanup
/// timeout for a peon).
template <class R, class Self, class Dest, class OnOk, class OnError, class... Ts>
void net_request(Self* self, const network& net, const sim_clock& clock, std::string_view from, std::string_view to,
                 const Dest& dest, std::optional<sim::time_ms> timeout, sim::time_ms lost_after, OnOk on_ok,
                 OnError on_error, const Ts&... xs) {
  // The caller's timeout runs from the call: time the message spends on the
  // way there and back comes out of it.
  auto ask = [=](auto reply, sim::time_ms in_flight) {
    if (timeout)
      self->request(dest, clock.delay(std::max<sim::time_ms>(1, *timeout - in_flight)), xs...)
        .then(reply, [=](caf::error& e) { on_error(e); });
    else
      self->request(dest, caf::infinite, xs...).then(reply, [=](caf::error& e) { on_error(e); });
  };
  if (net.quiet()) {
    ask([=](R r) { on_ok(std::move(r)); }, 0);
    return;
  }
  auto out = net.decide(from, to);
  auto back = net.decide(to, from);
  auto lost = [=] { on_error(caf::make_error(caf::sec::request_timeout)); };
  if (out.drop || (timeout && out.delay + back.delay >= *timeout)) {
    // Never sent, or the answer would come after the caller gave up.
    if (!out.drop)
      defer(self, clock, out.delay, [=] { self->request(dest, caf::infinite, xs...).then([](R) {}, [](caf::error&) {}); });
    defer(self, clock, out.drop ? lost_after : *timeout, lost);
    return;
  }
  deferred_fn issue = [=] {
    if (back.drop) {
      // Delivered, but the answer is lost.
      self->request(dest, caf::infinite, xs...).then([](R) {}, [](caf::error&) {});
      defer(self, clock, lost_after, lost);
      return;
    }
    ask(
      [=](R r) {
        if (back.delay > 0)
          defer(self, clock, back.delay, [=] { on_ok(r); });
        else
          on_ok(std::move(r));
      },
      out.delay + back.delay);
    if (out.duplicate)
      self->request(dest, caf::infinite, xs...).then([](R) {}, [](caf::error&) {});
  };
  if (out.delay > 0)
    defer(self, clock, out.delay, std::move(issue));
  else
    issue();
}

} // namespace compactsim::actors
