#pragma once
//! A Druid task's status as the overlord's APIs print it (TaskStatusPlus).

#include <boost/json/object.hpp>

#include "sim/druid/overlord_views.hpp"

namespace compactsim::http {

/// TaskStatusPlus of `t`. `listed`: for /tasks listings, where a task the
/// runner holds reports its queue insertion time.
boost::json::object task_status_json(const sim::druid::task_row& t, bool listed = false);

} // namespace compactsim::http
