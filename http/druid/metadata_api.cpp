#include "http/druid/metadata_api.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <boost/json.hpp>

#include "http/druid/druid_answers.hpp"
#include "http/druid/segment_json.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

constexpr std::string_view coordinator = coordinator_prefix;
constexpr std::string_view indexer = indexer_prefix;

/// The used segments of `tl` in SegmentId order (start, end, version, partition).
std::vector<const druid::segment*> by_segment_id(const druid::timeline& tl) {
  std::vector<const druid::segment*> out;
  for (const auto& s : tl.segments)
    out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const druid::segment* a, const druid::segment* b) {
    return std::tie(a->span.start, a->span.end, a->version, a->partition) <
           std::tie(b->span.start, b->span.end, b->version, b->partition);
  });
  return out;
}

/// {dataSource: [intervals]} of the locks at or above each datasource's
/// minimum priority (TaskLockbox#getLockedIntervals).
void answer_locked_intervals(actors::druid_service& svc, responder r, std::map<std::string, std::int64_t> min_priority) {
  svc.locks(answer_with<std::vector<druid::held_lock>>(
    std::move(r), [min_priority = std::move(min_priority)](const std::vector<druid::held_lock>& locks) {
      json::object out;
      for (const auto& [ds, spans] : druid::locked_intervals(locks, min_priority)) {
        json::array list;
        for (const auto& s : spans)
          list.push_back(json::string(druid::format_interval(s)));
        out[ds] = std::move(list);
      }
      return json_body(200, out);
    }));
}

/// The overlord's lockedIntervals bodies: a JSON syntax error is Jackson's
/// JsonParseException (unmapped: Jetty's 500 page); the wrong shape is a
/// mapping error (400 {"error"}).
std::optional<json::value> lock_request(const call& c, response& bad) {
  if (!json_or_no_content_type(c)) {
    bad = jetty_error(415, "Unsupported Media Type");
    return std::nullopt;
  }
  if (c.req.body.find_first_not_of(" \t\r\n") == std::string::npos)
    return json::value{};
  boost::system::error_code ec;
  auto v = json::parse(c.req.body, ec);
  if (ec) {
    bad = jetty_error(500, "Server Error");
    return std::nullopt;
  }
  return v;
}

} // namespace

void add_metadata_routes(route_table& t, actors::druid_service& svc) {
  // MetadataResource: used segments as the metadata store has them.
  t.add("GET", path(coordinator, "/metadata/datasources"), [&svc](const call&, responder r) {
    svc.timelines(answer_with<druid::store_view>(std::move(r), [](const druid::store_view& v) {
      std::set<std::string> names; // a TreeSet: sorted
      for (const auto& tl : v.timelines)
        if (!tl->segments.empty())
          names.insert(tl->name);
      json::array out;
      for (const auto& n : names)
        out.push_back(json::string(n));
      return json_body(200, out);
    }));
  });
  t.add("GET", path(coordinator, "/metadata/datasources/{dataSource}/segments"), [&svc](const call& c, responder r) {
    bool full = c.query.contains("full");
    svc.timelines(answer_with<druid::store_view>(std::move(r), [ds = c.captures.at("dataSource"), full](const druid::store_view& v) {
      const auto* tl = v.find(ds);
      if (!tl)
        return jetty_error(404, "Not Found");
      json::array list;
      for (const auto* s : by_segment_id(*tl))
        list.push_back(full ? json::value(segment_json(ds, *tl, *s, true)) : json::value(druid::segment_id(ds, *s)));
      return json_body(200, list);
    }));
  });
  // DataSourcesResource: what the historicals serve.
  t.add("GET", path(coordinator, "/datasources/{dataSource}/intervals"), [&svc](const call& c, responder r) {
    svc.timelines(answer_with<druid::store_view>(std::move(r), [ds = c.captures.at("dataSource")](const druid::store_view& v) {
      const auto* tl = v.find(ds);
      if (!tl)
        return empty(204);
      std::set<druid::interval> spans;
      for (const auto& s : tl->segments)
        spans.insert(s.span);
      json::array out; // newest first: descending start, then end
      for (auto it = spans.rbegin(); it != spans.rend(); ++it)
        out.push_back(json::string(druid::format_interval(*it)));
      return json_body(200, out);
    }));
  });
  t.add("GET", path(coordinator, "/datasources/{dataSource}/loadstatus"), [&svc](const call& c, responder r) {
    if (!c.param("forceMetadataRefresh"))
      return r(response::text(400, "Invalid request. forceMetadataRefresh must be specified"));
    std::optional<druid::interval> range;
    if (auto raw = c.param("interval")) {
      auto text = *raw;
      std::replace(text.begin(), text.end(), '_', '/');
      range = druid::parse_interval(text);
      if (!range)
        return r(jetty_error(500, "Server Error")); // Intervals.of throws outside any mapping
    }
    svc.timelines(answer_with<druid::store_view>(std::move(r), [ds = c.captures.at("dataSource"), range](const druid::store_view& v) {
      // The default interval is the last 14 days.
      auto span = range.value_or(druid::interval{v.now - 14 * 86'400'000LL, v.now});
      const auto* tl = v.find(ds);
      if (!tl)
        return empty(204);
      bool any = std::any_of(tl->segments.begin(), tl->segments.end(),
                             [&](const druid::segment& s) { return s.span.overlaps(span); });
      if (!any)
        return empty(204);
      // Every published segment is loaded at once here: 100 percent.
      return json_body(200, json::object{{ds, 100.0}});
    }));
  });
}

void add_lock_routes(route_table& t, actors::druid_service& svc) {
  t.add("POST", path(indexer, "/lockedIntervals"), [&svc](const call& c, responder r) {
    response bad;
    auto body = lock_request(c, bad);
    if (!body)
      return r(std::move(bad));
    if (body->is_null() || (body->is_object() && body->as_object().empty()))
      return r(response{400, "application/json", "No Datasource provided", {}});
    std::map<std::string, std::int64_t> min_priority;
    if (!body->is_object())
      return r(error_body(400, "Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.Integer>`"));
    for (const auto& [ds, p] : body->as_object()) {
      if (!p.is_int64())
        return r(error_body(400, "Cannot deserialize value of type `java.lang.Integer` from " + json::serialize(p)));
      min_priority[std::string{ds}] = p.get_int64();
    }
    answer_locked_intervals(svc, std::move(r), std::move(min_priority));
  });
  t.add("POST", path(indexer, "/lockedIntervals/v2"), [&svc](const call& c, responder r) {
    response bad;
    auto body = lock_request(c, bad);
    if (!body)
      return r(std::move(bad));
    if (body->is_null() || (body->is_array() && body->as_array().empty()))
      return r(response{400, "application/json", "No filter provided", {}});
    if (!body->is_array())
      return r(error_body(400, "Cannot deserialize value of type `java.util.ArrayList<org.apache.druid.metadata.LockFilterPolicy>`"));
    std::map<std::string, std::int64_t> min_priority;
    for (const auto& f : body->as_array()) {
      const auto* o = f.if_object();
      const auto* ds = o ? o->if_contains("datasource") : nullptr;
      const auto* p = o ? o->if_contains("priority") : nullptr;
      if (!ds || !ds->is_string() || (p && !p->is_int64()))
        return r(error_body(400, "Cannot construct instance of `org.apache.druid.metadata.LockFilterPolicy`"));
      auto priority = p ? p->get_int64() : 0;
      auto [it, fresh] = min_priority.emplace(std::string{ds->get_string()}, priority);
      if (!fresh)
        it->second = std::min(it->second, priority);
    }
    answer_locked_intervals(svc, std::move(r), std::move(min_priority));
  });
}

} // namespace compactsim::http
