#pragma once
//! The Doris BE HTTP API of one simulated backend: compaction run, run
//! status, show, scores, tablets and health, in the "docs" (seed documents,
//! Doris 1.x shapes) or "2.1" (Doris 2.1+ code) profile.

#include <cstdint>

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Route table of backend `be`, whose web server listens on `port` (0: 8040
/// + be, the default layout). The service must outlive the table.
route_table make_doris_routes(actors::doris_service& svc, int be, std::uint16_t port = 0);

} // namespace compactsim::http
