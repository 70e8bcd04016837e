#pragma once
//! Druid 31's supervisor API for `autocompact` supervisors
//! (SupervisorResource, /druid/indexer/v1/supervisor): create or update,
//! list, spec, status, suspend, resume, terminate and the spec history.
//! Other supervisor types (kafka, kinesis) are not simulated: their specs
//! are refused as an overlord without their extensions refuses them.

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

void add_supervisor_routes(route_table& t, actors::druid_service& svc);

} // namespace compactsim::http
