#pragma once
//! The coordinator's metadata and served-segment views that Druid's
//! integration-test clients read (MetadataResource, DataSourcesResource),
//! and the overlord's locked intervals (OverlordResource, v1 and v2).

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

void add_metadata_routes(route_table& t, actors::druid_service& svc);
void add_lock_routes(route_table& t, actors::druid_service& svc);

} // namespace compactsim::http
