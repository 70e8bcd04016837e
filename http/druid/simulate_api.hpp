#pragma once
//! What Druid 31 adds to the router: the coordinator's compaction simulator
//! (POST /druid/coordinator/v1/compaction/simulate) and the overlord's
//! compaction resource as it answers with compaction supervisors disabled.

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Adds Druid 31's compaction simulate and overlord compaction routes.
void add_druid31_routes(route_table& t, actors::druid_service& svc);

} // namespace compactsim::http
