#pragma once
//! serve's HTTP listeners: one per BE of this process, the Druid router's
//! and the control API's, each handler wrapped alike (Basic auth, HTTP
//! faults, recording, request metrics, a debug line per request).

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/json/value.hpp>

#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "actors/live_control.hpp"
#include "http/basic_auth.hpp"
#include "http/control/recorder.hpp"
#include "http/http_faults.hpp"
#include "http/request_metrics.hpp"
#include "http/route_table.hpp"
#include "http/server.hpp"
#include "tools/serve_command.hpp"

namespace compactsim::tools {

/// What every listener is built with: the server, the route tables it
/// dispatches to (they outlive it), and the wrappers around each handler:
/// Basic auth, HTTP faults with their real-time latency, recording, and the
/// request metrics.
struct listen_kit {
  const serve_options& opts;
  http::server& server;
  std::vector<std::unique_ptr<http::route_table>>& tables;
  http::http_fault_table& http_faults;
  http::delay_fn delay;
  std::shared_ptr<http::session_recorder> recorder;
  http::request_metrics& http_metrics;

  http::dispatcher guard(http::dispatcher d) const {
    return opts.auth.empty() ? d : http::with_basic_auth(std::move(d), opts.auth);
  }
};

/// One listener per BE of this process (a remote slot's node process
/// listens itself). 0, or 1 once a port cannot be bound.
int listen_backends(listen_kit& kit, actors::doris_cluster_service& service, const actors::cluster& cluster,
                    const std::shared_ptr<actors::live_control>& control, const std::vector<std::int32_t>& remote_slots);
/// The Druid router's listener. 0, or 1 when its port cannot be bound.
int listen_druid(listen_kit& kit, actors::druid_cluster_service& druid_service, const sim::druid_cluster_config& druid);
/// The control API's listener: faults, scenarios, the dashboard, recording,
/// and the OpenAPI document of every API. 0, or 1 when its port cannot be bound.
int listen_admin(listen_kit& kit, actors::live_control& control, const boost::json::value& recorded_cluster,
                 std::uint64_t seed, bool druid);

} // namespace compactsim::tools
