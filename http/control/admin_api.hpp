#pragma once
//! The control API on the admin port: liveness and readiness, faults at
//! runtime (the scenario files' JSON), and Prometheus metrics.

#include "actors/service.hpp"
#include "http/http_faults.hpp"
#include "http/request_metrics.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Route table of the admin listener. The service (and the request metrics,
/// whose series GET /metrics appends when given) must outlive the table.
route_table make_admin_routes(actors::control_service& svc, http_fault_table& http_faults,
                              const request_metrics* http_metrics = nullptr);

} // namespace compactsim::http
