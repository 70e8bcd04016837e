#include "http/control/dashboard_api.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "config/fault_reader.hpp"
#include "http/json_format.hpp"
#include "http/no_answer.hpp"
#include "sim/core/iso8601.hpp"
#include "sim/doris/replica.hpp"
#include "web/assets.hpp"

namespace compactsim::http {

namespace json = boost::json;

void dashboard_history::record(const actors::dashboard_snapshot& s) {
  std::vector<std::string> names;
  for (const auto& d : s.datasources)
    names.push_back(d.name);
  std::sort(names.begin(), names.end());
  if (names.size() > max_datasources)
    names.resize(max_datasources);
  std::lock_guard<std::mutex> guard{mutex_};
  if (generation_ != s.generation || backends_ != s.backends.size() || datasources_ != names ||
      (!samples_.empty() && samples_.back().t > s.now)) {
    samples_.clear();
    generation_ = s.generation;
    backends_ = s.backends.size();
    datasources_ = names;
  }
  if (!samples_.empty() && samples_.back().t == s.now)
    return;
  dashboard_sample x;
  x.t = s.now;
  for (const auto& b : s.backends) {
    x.cumulative.push_back(b.max_cumulative_score);
    x.base.push_back(b.max_base_score);
    x.versions.push_back(b.max_version_count);
  }
  for (const auto& name : datasources_) {
    auto it = std::find_if(s.datasources.begin(), s.datasources.end(), [&](const auto& d) { return d.name == name; });
    x.awaiting.push_back(it == s.datasources.end() ? 0 : it->awaiting);
    x.compacted.push_back(it == s.datasources.end() ? 0 : it->compacted);
    x.skipped.push_back(it == s.datasources.end() ? 0 : it->skipped);
  }
  samples_.push_back(std::move(x));
  while (samples_.size() > capacity_)
    samples_.pop_front();
}

std::vector<dashboard_sample> dashboard_history::since(sim::time_ms since, std::vector<std::string>& datasources) const {
  std::lock_guard<std::mutex> guard{mutex_};
  datasources = datasources_;
  std::vector<dashboard_sample> out;
  for (const auto& x : samples_)
    if (x.t > since)
      out.push_back(x);
  return out;
}

namespace {

response json_answer(unsigned status, const json::value& v) { return response::json(status, jackson_json(v)); }

response error(unsigned status, std::string msg) { return json_answer(status, json::object{{"error", msg}}); }

/// A non-negative integer parameter, `fallback` when absent, nullopt when malformed or above `max`.
std::optional<std::int64_t> integer(const call& c, std::string_view key, std::int64_t fallback, std::int64_t min,
                                    std::int64_t max) {
  auto raw = c.param(key);
  if (!raw)
    return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc{} || end != raw->data() + raw->size() || v < min || v > max)
    return std::nullopt;
  return v;
}

json::array running_json(std::uint8_t bits) {
  json::array out;
  for (auto type : {sim::compaction_type::cumulative, sim::compaction_type::base, sim::compaction_type::full})
    if (bits & sim::running_bit(type))
      out.emplace_back(sim::to_string(type));
  return out;
}

template <class T>
json::array numbers(const std::vector<T>& v) {
  return json::array(v.begin(), v.end());
}

json::object history_json(const std::vector<dashboard_sample>& samples, const std::vector<std::string>& names) {
  // Column-wise, as uPlot takes its data: one array of times, one array per series.
  json::array t;
  std::size_t bes = samples.empty() ? 0 : samples.front().cumulative.size();
  std::vector<json::array> cumu(bes), base(bes), versions(bes), awaiting(names.size()), compacted(names.size()),
    skipped(names.size());
  for (const auto& x : samples) {
    t.emplace_back(x.t);
    for (std::size_t i = 0; i < bes && i < x.cumulative.size(); ++i) {
      cumu[i].emplace_back(x.cumulative[i]);
      base[i].emplace_back(x.base[i]);
      versions[i].emplace_back(x.versions[i]);
    }
    for (std::size_t k = 0; k < names.size() && k < x.awaiting.size(); ++k) {
      awaiting[k].emplace_back(x.awaiting[k]);
      compacted[k].emplace_back(x.compacted[k]);
      skipped[k].emplace_back(x.skipped[k]);
    }
  }
  auto columns = [](std::vector<json::array>& v) { return json::array(v.begin(), v.end()); };
  return json::object{{"t", std::move(t)},
                      {"cumulativeScore", columns(cumu)},
                      {"baseScore", columns(base)},
                      {"versionCount", columns(versions)},
                      {"dataSources", json::array(names.begin(), names.end())},
                      {"awaitingBytes", columns(awaiting)},
                      {"compactedBytes", columns(compacted)},
                      {"skippedBytes", columns(skipped)}};
}

json::object task_json(const actors::task_panel& t) {
  return json::object{{"id", t.id},
                      {"dataSource", t.data_source},
                      {"state", t.runner},
                      {"interval", sim::druid::format_interval({t.start, t.end})},
                      {"slots", t.slots},
                      {"worker", t.worker}};
}

json::object snapshot_json(const actors::dashboard_snapshot& s) {
  json::array nodes;
  for (const auto& n : s.nodes)
    nodes.push_back(json::object{{"node", n.node},
                                 {"state", n.state},
                                 {"remote", n.remote},
                                 {"faults", json::array(n.faults.begin(), n.faults.end())},
                                 {"kinds", json::array(n.kinds.begin(), n.kinds.end())}});
  json::array backends;
  for (const auto& b : s.backends)
    backends.push_back(json::object{
      {"be", b.be},
      {"backendId", b.backend_id},
      {"up", b.up},
      {"remote", b.remote},
      {"replicas", b.replicas},
      {"maxCumulativeScore", b.max_cumulative_score},
      {"maxBaseScore", b.max_base_score},
      {"maxVersionCount", b.max_version_count},
      {"running", json::object{{"cumulative", b.running[sim::index(sim::compaction_type::cumulative)]},
                               {"base", b.running[sim::index(sim::compaction_type::base)]},
                               {"full", b.running[sim::index(sim::compaction_type::full)]}}},
      {"queued", b.queued},
      {"rejectedLoads", b.rejected_loads}});
  json::array top;
  for (const auto& t : s.top)
    top.push_back(json::object{{"tabletId", t.tablet_id},
                               {"tableId", t.table_id},
                               {"be", t.be},
                               {"versions", t.versions},
                               {"cumulativeScore", t.cumulative_score},
                               {"baseScore", t.base_score},
                               {"duplicates", t.duplicates},
                               {"running", running_json(t.running)}});
  json::object o{{"now", sim::druid::format_instant(s.now)},
                 {"nowMs", s.now},
                 {"speed", s.speed},
                 {"generation", s.generation},
                 {"nodes", std::move(nodes)},
                 {"doris", json::object{{"backends", std::move(backends)}, {"tablets", s.tablets}, {"top", std::move(top)}}}};
  json::object druid{{"enabled", s.druid}};
  if (s.druid) {
    json::array ds;
    for (const auto& d : s.datasources)
      ds.push_back(json::object{{"dataSource", d.name},
                                {"segments", d.segments},
                                {"bytes", d.bytes},
                                {"awaitingBytes", d.awaiting},
                                {"compactedBytes", d.compacted},
                                {"skippedBytes", d.skipped},
                                {"reported", d.has_status}});
    json::array tasks;
    json::object by_state{{"waiting", 0}, {"pending", 0}, {"running", 0}};
    for (const auto& t : s.tasks) {
      tasks.push_back(task_json(t));
      if (auto* n = by_state.if_contains(t.runner))
        *n = n->as_int64() + 1;
    }
    druid["dataSources"] = std::move(ds);
    druid["tasks"] = std::move(tasks);
    druid["tasksByState"] = std::move(by_state);
    druid["slots"] = json::object{{"total", s.total_slots}, {"used", s.used_slots}};
    druid["dutyRuns"] = s.duty_runs;
  }
  o["druid"] = std::move(druid);
  return o;
}

json::object rowset_json(const actors::rowset_panel& r, bool stale) {
  json::object o{{"start", r.start},     {"end", r.end},
                 {"rows", r.rows},       {"bytes", r.bytes},
                 {"segments", r.segments}, {"overlapping", r.overlapping},
                 {"delete", r.is_delete}, {"created", sim::druid::format_instant(r.created)}};
  if (stale)
    o["staleSince"] = sim::druid::format_instant(r.stale_since);
  return o;
}

json::object tablet_json(const actors::tablet_detail& d) {
  json::array rowsets, stale;
  for (const auto& r : d.rowsets)
    rowsets.push_back(rowset_json(r, false));
  for (const auto& r : d.stale)
    stale.push_back(rowset_json(r, true));
  json::object last;
  for (auto type : {sim::compaction_type::cumulative, sim::compaction_type::base, sim::compaction_type::full})
    last[sim::to_string(type)] = d.last_status[sim::index(type)];
  return json::object{{"be", d.be},
                      {"tabletId", d.tablet_id},
                      {"tableId", d.table_id},
                      {"keys", d.keys},
                      {"mergeOnWrite", d.merge_on_write},
                      {"cumulativePoint", d.cumulative_point},
                      {"cumulativeScore", d.cumulative_score},
                      {"baseScore", d.base_score},
                      {"duplicates", d.duplicates},
                      {"running", running_json(d.running)},
                      {"lastStatus", std::move(last)},
                      {"rowsets", std::move(rowsets)},
                      {"staleRowsets", std::move(stale)}};
}

json::object datasource_json(const actors::datasource_detail& d) {
  json::array chunks, locks, tasks;
  for (const auto& c : d.chunks)
    chunks.push_back(json::object{{"interval", sim::druid::format_interval({c.start, c.end})},
                                  {"startMs", c.start},
                                  {"endMs", c.end},
                                  {"segments", c.segments},
                                  {"bytes", c.bytes},
                                  {"compacted", c.compacted},
                                  {"version", sim::druid::format_instant(c.version)}});
  for (const auto& l : d.locks)
    locks.push_back(json::object{{"taskId", l.task_id.empty() ? json::value(nullptr) : json::value(l.task_id)},
                                 {"interval", sim::druid::format_interval({l.start, l.end})},
                                 {"startMs", l.start},
                                 {"endMs", l.end},
                                 {"priority", l.priority}});
  for (const auto& t : d.tasks)
    tasks.push_back(task_json(t));
  return json::object{{"dataSource", d.name},
                      {"chunks", std::move(chunks)},
                      {"totalChunks", d.total_chunks},
                      {"locks", std::move(locks)},
                      {"tasks", std::move(tasks)}};
}

response asset_response(std::string_view name) {
  auto a = web::find_asset(name);
  if (!a)
    return error(404, "not found");
  response r{200, std::string{a->content_type}, std::string{a->body}, {}};
  // The page is the binary's: a new build is a new page.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

} // namespace

void add_dashboard_routes(route_table& t, actors::control_service& svc, std::shared_ptr<dashboard_history> history) {
  t.add("GET", "/", [](const call&, responder r) { r(asset_response("index.html")); });
  t.add("GET", "/ui/{file}", [](const call& c, responder r) { r(asset_response(c.captures.at("file"))); });
  t.add("GET", "/sim/v1/dashboard", [&svc, history](const call& c, responder r) {
    auto top = integer(c, "top", 20, 0, 1000);
    auto since = integer(c, "since", -1, -1, INT64_MAX);
    if (!top || !since)
      return r(error(400, "top is an integer in [0, 1000]; since a simulated time in ms (-1: the whole history)"));
    svc.dashboard(static_cast<std::size_t>(*top), [r, history, since](actors::reply<actors::dashboard_snapshot> s) {
      if (!s.ok())
        return r(error(no_answer_status, s.error));
      history->record(*s.value);
      auto o = snapshot_json(*s.value);
      std::vector<std::string> names;
      auto samples = history->since(*since, names);
      o["history"] = history_json(samples, names);
      r(json_answer(200, o));
    });
  });
  t.add("GET", "/sim/v1/dashboard/tablets/{tablet_id}", [&svc](const call& c, responder r) {
    auto be = integer(c, "be", 0, 0, 1'000'000);
    std::int64_t id = 0;
    const auto& raw = c.captures.at("tablet_id");
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (!be || ec != std::errc{} || end != raw.data() + raw.size())
      return r(error(400, "expected /sim/v1/dashboard/tablets/<tablet id>?be=<BE index>"));
    svc.tablet(static_cast<std::size_t>(*be), id, [r, id](actors::reply<actors::tablet_detail> d) {
      if (!d.ok())
        return r(error(d.error.starts_with("no BE") ? 404 : no_answer_status, d.error));
      if (!d.value->found)
        return r(error(404, "no tablet " + std::to_string(id) + " on be:" + std::to_string(d.value->be)));
      r(json_answer(200, tablet_json(*d.value)));
    });
  });
  t.add("GET", "/sim/v1/dashboard/datasources/{dataSource}", [&svc](const call& c, responder r) {
    auto limit = integer(c, "limit", 500, 1, 100'000);
    if (!limit)
      return r(error(400, "limit is an integer in [1, 100000]"));
    auto name = c.captures.at("dataSource");
    svc.datasource(name, static_cast<std::size_t>(*limit), [r, name](actors::reply<actors::datasource_detail> d) {
      if (!d.ok())
        return r(error(d.error.starts_with("the Druid side") ? 404 : no_answer_status, d.error));
      if (!d.value->found)
        return r(error(404, "no datasource '" + name + "'"));
      r(json_answer(200, datasource_json(*d.value)));
    });
  });
  t.add("GET", "/sim/v1/fault-kinds", [&svc](const call&, responder r) {
    auto n = svc.nodes();
    json::array targets;
    for (std::size_t i = 0; i < n.backends; ++i)
      targets.emplace_back("be:" + std::to_string(i));
    targets.emplace_back("fe");
    if (n.druid) {
      targets.emplace_back("coordinator");
      targets.emplace_back("overlord");
      for (std::size_t i = 0; i < n.workers; ++i)
        targets.emplace_back("worker:" + std::to_string(i));
    }
    r(json_answer(200, json::object{{"kinds", config::fault_vocabulary()}, {"nodes", std::move(targets)}}));
  });
}

} // namespace compactsim::http
