#pragma once
//! The control API on the admin port: liveness and readiness, faults at
//! runtime (the scenario files' JSON), and Prometheus metrics.

#include "actors/service.hpp"
#include "http/http_faults.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Route table of the admin listener. The service must outlive the table.
route_table make_admin_routes(actors::control_service& svc, http_fault_table& http_faults);

} // namespace compactsim::http
