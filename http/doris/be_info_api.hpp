#pragma once
//! The BE endpoints around compaction that Doris's regression suites call:
//! configuration (ConfigAction), tablet meta (MetaAction), the delete bitmap
//! count (DeleteBitmapAction), the build version (VersionAction) and the
//! report triggers (ReportAction).

#include <cstdint>

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Adds those routes for backend `be`, whose web server port is `port`.
void add_be_info_routes(route_table& t, actors::doris_service& svc, int be, std::uint16_t port);

} // namespace compactsim::http
