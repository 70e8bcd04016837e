#pragma once
//! The Druid router's API (Druid 30): the coordinator's auto-compaction
//! config, history, slots, status and progress; the overlord's task API;
//! datasources, segments and health. Every handler runs one job on the
//! coordinator's or the overlord's model and renders its answer there.
//! Version 31 adds the compaction simulator (simulate_api.hpp).

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// Route table of the Druid router speaking Druid `version` (30 or 31:
/// sim::druid_cluster_config::version). The service must outlive the table.
route_table make_druid_routes(actors::druid_service& svc, int version = 30);

} // namespace compactsim::http
