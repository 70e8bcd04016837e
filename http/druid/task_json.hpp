#pragma once
//! A Druid task's status as the overlord's APIs print it (TaskStatusPlus).

#include <vector>

#include <boost/json/object.hpp>

#include "sim/druid/overlord.hpp"

namespace compactsim::http {

/// TaskStatusPlus of `t`; `workers` give its location's host. `listed`:
/// for /tasks listings, where a task the runner holds reports its queue
/// insertion time.
boost::json::object task_status_json(const sim::druid::compact_task& t, const std::vector<sim::druid::worker>& workers,
                                     bool listed = false);

} // namespace compactsim::http
