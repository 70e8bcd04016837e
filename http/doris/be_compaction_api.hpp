#pragma once
//! The BE's CompactionAction handlers (run, run_status, show), in the
//! "docs" or "2.1" profile; make_doris_routes binds them to their paths.

#include "actors/service.hpp"
#include "http/route_table.hpp"

namespace compactsim::http {

/// POST /api/compaction/run?tablet_id=|table_id=&compact_type=[&remote=]:
/// a manual compaction of one tablet, or a full compaction of a table.
void handle_run(actors::doris_service& svc, int be, const call& c, responder respond);
/// GET /api/compaction/run_status[?tablet_id=]: whether a tablet's
/// compaction runs, or (no tablet) the registry of running tasks.
void handle_run_status(actors::doris_service& svc, int be, const call& c, responder respond);
/// GET /api/compaction/show?tablet_id=: the tablet's rowsets and the times
/// and results of its last compactions.
void handle_show(actors::doris_service& svc, int be, const call& c, responder respond);

} // namespace compactsim::http
