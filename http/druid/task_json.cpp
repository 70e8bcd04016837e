#include "http/druid/task_json.hpp"

#include <boost/json.hpp>

#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

json::object task_status_json(const druid::task_row& t, bool listed) {
  json::object location;
  if (!t.host.empty()) {
    location["host"] = t.host.substr(0, t.host.find(':'));
    location["port"] = t.port;
  } else {
    location["host"] = nullptr;
    location["port"] = -1;
  }
  location["tlsPort"] = -1;
  json::object s;
  s["id"] = t.id;
  s["groupId"] = t.id;
  s["type"] = "compact";
  s["createdTime"] = druid::format_instant(t.created);
  // TaskQueryTool#getTaskStatusPlusList: a listed task the runner holds
  // (pending or running) reports its work item's queueInsertionTime; a
  // waiting or complete one comes from the metadata store with
  // DateTimes.EPOCH, as every /task/{id}/status does.
  bool in_runner = listed && t.active() && (t.runner == druid::runner_state::pending || t.runner == druid::runner_state::running);
  s["queueInsertionTime"] = in_runner ? druid::format_instant(t.queued) : "1970-01-01T00:00:00.000Z";
  s["statusCode"] = druid::to_string(t.state);
  s["status"] = druid::to_string(t.state);
  s["runnerStatusCode"] = druid::to_string(t.runner);
  s["duration"] = t.duration;
  s["location"] = std::move(location);
  s["dataSource"] = t.data_source;
  if (t.error.empty()) {
    s["errorMsg"] = nullptr;
  } else if (t.error.size() > 1024) {
    s["errorMsg"] = t.error.substr(0, 512) + "..." + std::to_string(t.error.size() - 1024) + " characters omitted..." +
                    t.error.substr(t.error.size() - 512);
  } else {
    s["errorMsg"] = t.error;
  }
  return s;
}

} // namespace compactsim::http
