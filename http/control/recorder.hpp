#pragma once
//! Recording a live session as a scenario: every request that reached a BE
//! port, the Druid router or the control API, at its simulated time, with
//! its answer's status. `scenario()` turns it into a scenario file that
//! `compactsim run` replays on the deterministic scheduler:
//! - BE and router requests become http steps expecting the same status;
//! - control API faults become fault steps (with the id they were given),
//!   and their heals heal steps;
//! - what a scenario cannot express (ingest, clock, reset, HTTP faults,
//!   applied scenarios) is listed in the file's header comment.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "actors/service.hpp"
#include "http/message.hpp"
#include "http/route_table.hpp"
#include "sim/core/time.hpp"

namespace compactsim::http {

class session_recorder {
public:
  using clock_fn = std::function<sim::time_ms()>;
  explicit session_recorder(clock_fn now) : now_(std::move(now)) {}

  /// Starts a recording (dropping any earlier one) from simulated time now.
  void start();
  void stop();
  bool active() const;
  std::size_t size() const;

  /// A request `node` ("be:0", "druid", "admin") answered with `status`
  /// and `body`; kept when recording.
  void record(const std::string& node, const request& req, unsigned status, const std::string& body);

  /// The recording as a scenario: `cluster` is the cluster config it ran
  /// (null: the built-in one), `seed` the cluster's seed.
  std::string scenario(const std::string& name, const boost::json::value& cluster, std::uint64_t seed) const;

private:
  struct entry {
    sim::time_ms at = 0;
    std::string node, method, target, body, content_type, answer;
    unsigned status = 0;
  };
  clock_fn now_;
  mutable std::mutex mutex_;
  bool active_ = false;
  sim::time_ms since_ = 0;
  std::vector<entry> entries_;
  std::optional<boost::json::value> reset_cluster_; ///< the cluster a reset during the recording set
};

/// `inner`, with every answered request told to `rec` as `node`.
dispatcher recorded(dispatcher inner, std::shared_ptr<session_recorder> rec, std::string node);

/// GET /sim/v1/record (is one running, how many requests) and POST
/// /sim/v1/record {"action": "start"} (resets the cluster, then records) or
/// {"action": "stop"} (answers the scenario file). `cluster` is the config
/// the server runs (null: the built-in one).
void add_record_routes(route_table& t, actors::control_service& svc, std::shared_ptr<session_recorder> rec,
                       boost::json::value cluster, std::uint64_t seed);

} // namespace compactsim::http
