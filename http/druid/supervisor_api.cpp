#include "http/druid/supervisor_api.hpp"

#include <string>

#include <boost/json.hpp>

#include "http/druid/compaction_json.hpp"
#include "http/druid/druid_answers.hpp"
#include "http/druid/jackson_location.hpp"
#include "http/druid/metadata_api.hpp"
#include "http/json_format.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

constexpr std::string_view supervisor_class = "org.apache.druid.indexing.overlord.supervisor.SupervisorSpec";

std::string base() { return path(indexer_prefix, "/supervisor"); }

/// CompactionSupervisorSpec as Jackson writes it: the type id, then the
/// creator's properties.
json::object spec_json(const druid::compaction_supervisor_spec& s) {
  return json::object{{"type", "autocompact"}, {"spec", s.spec.to_json()}, {"suspended", s.suspended}};
}

/// SupervisorResourceFilter's 404, which it throws before the resource runs
/// on every /{id}/... route that carries it (all but /{id}/history).
response absent(const std::string& id) {
  return response::text(404, "Cannot find any supervisor with id: [" + id + "]");
}

/// The model's messages name DataSourceCompactionConfig as the root; inside
/// a supervisor spec Jackson's chain starts at the spec's "spec" property.
std::string under_spec(const std::string& error) {
  constexpr std::string_view marker = " (through reference chain: ";
  const std::string root = "org.apache.druid.indexing.compact.CompactionSupervisorSpec[\"spec\"]";
  auto at = error.find(marker);
  if (at == std::string::npos)
    return error + std::string{marker} + root + ")";
  return error.substr(0, at + marker.size()) + root + "->" + error.substr(at + marker.size());
}

/// A posted SupervisorSpec: an autocompact one, or nullopt with the answer in `bad`.
std::optional<druid::compaction_supervisor_spec> read_spec(const call& c, response& bad) {
  auto body = read_json_body(c, bad);
  if (!body)
    return std::nullopt;
  const auto& v = *body;
  if (!v.is_object()) {
    bad = error_body(400, "Unexpected token (" + std::string{v.is_array() ? "START_ARRAY" : "VALUE_STRING"} +
                            "), expected START_OBJECT: need JSON Object to contain As.PROPERTY type information "
                            "(for subtype of " + std::string{supervisor_class} + ")");
    return std::nullopt;
  }
  const auto& o = v.as_object();
  auto type = o.find("type");
  if (type == o.end() || !type->value().is_string()) {
    bad = error_body(400, "Could not resolve subtype of [simple type, class " + std::string{supervisor_class} +
                            "]: missing type id property 'type'");
    return std::nullopt;
  }
  std::string id{type->value().get_string()};
  if (id == "NoopSupervisorSpec") {
    // A tombstone has no datasources: specPost's checkArgument throws, and nothing maps it.
    bad = jetty_error(500, "java.lang.IllegalArgumentException: No dataSources found to perform authorization checks");
    return std::nullopt;
  }
  if (id != "autocompact") {
    bad = error_body(400, "Please make sure to load all the necessary extensions and jars with type '" + id +
                            "' on 'druid/overlord' service. Could not resolve type id '" + id +
                            "' as a subtype of `" + std::string{supervisor_class} +
                            "` known type ids = [NoopSupervisorSpec, autocompact]");
    return std::nullopt;
  }
  auto spec = o.find("spec");
  if (spec == o.end() || spec->value().is_null()) {
    // CompactionSupervisorSpec#getId dereferences the null config.
    bad = jetty_error(500, "java.lang.NullPointerException: Cannot invoke \"org.apache.druid.server.coordinator."
                           "DataSourceCompactionConfig.getDataSource()\" because \"this.spec\" is null");
    return std::nullopt;
  }
  std::string error;
  auto config = druid::parse_datasource_config(spec->value(), error);
  if (!config) {
    bad = error_body(400, with_jackson_location(c.req.body, under_spec(error)));
    return std::nullopt;
  }
  druid::compaction_supervisor_spec out{std::move(*config), false};
  if (auto s = o.find("suspended"); s != o.end() && !s->value().is_null()) {
    // Jackson coerces "true" and "false" to a Boolean.
    if (s->value().is_string() && (s->value().get_string() == "true" || s->value().get_string() == "false")) {
      out.suspended = s->value().get_string() == "true";
      return out;
    }
    if (!s->value().is_bool()) {
      bad = error_body(400, "Cannot deserialize value of type `java.lang.Boolean` from " +
                              druid::jackson_describe(s->value()) +
                              " (through reference chain: org.apache.druid.indexing.compact.CompactionSupervisorSpec"
                              "[\"suspended\"])");
      return std::nullopt;
    }
    out.suspended = s->value().get_bool();
  }
  return out;
}

/// SupervisorStatus (NON_NULL): id, state, detailedState, healthy, spec,
/// specString, type, source, suspended, as specGetAll builds it.
json::object status_row(const druid::supervisor_entry& s, bool full, bool system) {
  json::object o;
  o["id"] = s.id;
  o["state"] = druid::to_string(s.state);
  o["detailedState"] = druid::to_string(s.state);
  o["healthy"] = true; // SCHEDULER_STOPPED, RUNNING and SUSPENDED are all healthy states
  if (full)
    o["spec"] = spec_json(s.spec);
  if (system) {
    o["specString"] = jackson_json(spec_json(s.spec));
    o["type"] = "autocompact";
    o["source"] = "";
  }
  // The builder's suspended is set for ?system only; otherwise false.
  o["suspended"] = system && s.spec.suspended;
  return o;
}

/// VersionedSupervisorSpec; a termination's tombstone is NoopSupervisorSpec,
/// whose "type" property follows its type id (so the key comes twice).
std::string versioned_json(const druid::versioned_spec& v) {
  std::string spec;
  if (v.spec)
    spec = jackson_json(spec_json(*v.spec));
  else
    spec = "{\"type\":\"NoopSupervisorSpec\",\"id\":null,\"dataSources\":" +
           jackson_json(json::array{json::value(v.data_source)}) +
           ",\"suspended\":false,\"type\":\"noop\",\"source\":\"noop\"}";
  return "{\"spec\":" + spec + ",\"version\":\"" + druid::format_instant(v.version) + "\"}";
}

std::string history_list(const std::vector<druid::versioned_spec>& rows) {
  std::string out = "[";
  for (std::size_t i = 0; i < rows.size(); ++i)
    out += (i ? "," : "") + versioned_json(rows[i]);
  return out + "]";
}

/// SupervisorReport<AutoCompactionSnapshot> (CompactionSupervisor#getStatus).
json::object report(const druid::supervisor_entry& s, const druid::supervisor_board& b) {
  json::value payload = nullptr;
  const auto& ds = s.spec.spec.data_source;
  if (s.spec.suspended) {
    druid::auto_compaction_snapshot off;
    off.data_source = ds;
    off.enabled = false;
    payload = snapshot_json(off, 31);
  } else if (const auto* snap = b.status.find(ds)) {
    payload = snapshot_json(*snap, 31);
  }
  return json::object{{"id", s.id}, {"generationTime", druid::format_instant(b.now)}, {"payload", std::move(payload)}};
}

void suspend_or_resume(actors::druid_service& svc, const call& c, responder r, bool suspend) {
  auto id = c.captures.at("id");
  using op = druid::supervisor_command::op;
  svc.command_supervisor({suspend ? op::suspend : op::resume, id},
                         [&svc, r, id, suspend](actors::reply<druid::supervisor_outcome> out) {
    if (!out.ok())
      return r(unavailable(out.error));
    if (*out.value == druid::supervisor_outcome::absent)
      return r(absent(id));
    if (*out.value == druid::supervisor_outcome::already)
      return r(error_body(400, "[" + id + "] is already " + (suspend ? "suspended" : "running")));
    svc.supervisors(answer_with<druid::supervisor_board>(r, [id](const druid::supervisor_board& b) {
      const auto* s = b.find(id);
      return s ? json_body(200, spec_json(s->spec)) : absent(id);
    }));
  });
}

void terminate(actors::druid_service& svc, const call& c, responder r) {
  auto id = c.captures.at("id");
  svc.command_supervisor({druid::supervisor_command::op::terminate, id},
                         answer_with<druid::supervisor_outcome>(std::move(r), [id](druid::supervisor_outcome o) {
    return o == druid::supervisor_outcome::done ? json_body(200, json::object{{"id", id}}) : absent(id);
  }));
}

void for_all(actors::druid_service& svc, responder r, druid::supervisor_command::op what) {
  svc.command_supervisor({what, ""}, answer_with<druid::supervisor_outcome>(std::move(r), [](druid::supervisor_outcome) {
    return json_body(200, json::object{{"status", "success"}});
  }));
}

} // namespace

void add_supervisor_routes(route_table& t, actors::druid_service& svc) {
  using op = druid::supervisor_command::op;
  // SupervisorResource#specPost: createOrUpdateAndStartSupervisor, {"id": id}.
  t.add("POST", base(), [&svc](const call& c, responder r) {
    response bad;
    auto spec = read_spec(c, bad);
    if (!spec)
      return r(bad);
    svc.supervise(std::move(*spec), answer_with<std::string>(std::move(r), [](const std::string& id) {
      return json_body(200, json::object{{"id", id}});
    }));
  });
  // specGetAll: the ids, or with ?full, ?state=true or ?system a SupervisorStatus each.
  t.add("GET", base(), [&svc](const call& c, responder r) {
    bool full = c.param("full").has_value();
    bool state = c.param("state").value_or("") == "true";
    bool system = c.param("system").has_value();
    svc.supervisors(answer_with<druid::supervisor_board>(std::move(r), [=](const druid::supervisor_board& b) {
      json::array out;
      for (const auto& s : b.supervisors)
        if (full || state || system)
          out.push_back(status_row(s, full, system));
        else
          out.push_back(json::value(s.id));
      return json_body(200, out);
    }));
  });
  // The literal paths go before {id}: the first registration wins.
  t.add("GET", base() + "/history", [&svc](const call&, responder r) {
    // specGetAllHistory: {id: [versions, newest first]}.
    svc.supervisor_history("", answer_with<std::vector<druid::versioned_spec>>(std::move(r), [](const auto& rows) {
      // SupervisorManager#getSupervisorHistory folds the rows into a HashMap by id.
      std::vector<std::string> ids;
      for (const auto& v : rows)
        if (std::find(ids.begin(), ids.end(), v.id) == ids.end())
          ids.push_back(v.id);
      ids = druid::java_hash_order(ids);
      std::string out = "{";
      for (std::size_t i = 0; i < ids.size(); ++i) {
        std::vector<druid::versioned_spec> mine;
        for (const auto& v : rows)
          if (v.id == ids[i])
            mine.push_back(v);
        out += (i ? "," : "") + jackson_json(json::value(ids[i])) + ":" + history_list(mine);
      }
      return response::json(200, out + "}");
    }));
  });
  t.add("POST", base() + "/suspendAll", [&svc](const call&, responder r) { for_all(svc, std::move(r), op::suspend); });
  t.add("POST", base() + "/resumeAll", [&svc](const call&, responder r) { for_all(svc, std::move(r), op::resume); });
  t.add("POST", base() + "/terminateAll",
        [&svc](const call&, responder r) { for_all(svc, std::move(r), op::terminate); });
  t.add("GET", base() + "/{id}", [&svc](const call& c, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(
      std::move(r), [id = c.captures.at("id")](const druid::supervisor_board& b) {
        const auto* s = b.find(id);
        return s ? json_body(200, spec_json(s->spec)) : absent(id);
      }));
  });
  t.add("GET", base() + "/{id}/status", [&svc](const call& c, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(
      std::move(r), [id = c.captures.at("id")](const druid::supervisor_board& b) {
        const auto* s = b.find(id);
        return s ? json_body(200, report(*s, b)) : absent(id);
      }));
  });
  t.add("GET", base() + "/{id}/history", [&svc](const call& c, responder r) {
    auto id = c.captures.at("id");
    svc.supervisor_history(id, answer_with<std::vector<druid::versioned_spec>>(std::move(r), [id](const auto& rows) {
      return rows.empty() ? error_body(404, "No history for [" + id + "].") : response::json(200, history_list(rows));
    }));
  });
  t.add("POST", base() + "/{id}/suspend",
        [&svc](const call& c, responder r) { suspend_or_resume(svc, c, std::move(r), true); });
  t.add("POST", base() + "/{id}/resume",
        [&svc](const call& c, responder r) { suspend_or_resume(svc, c, std::move(r), false); });
  t.add("POST", base() + "/{id}/terminate", [&svc](const call& c, responder r) { terminate(svc, c, std::move(r)); });
  t.add("POST", base() + "/{id}/shutdown", [&svc](const call& c, responder r) { terminate(svc, c, std::move(r)); });
  // CompactionSupervisor#reset throws UnsupportedOperationException, which nothing maps.
  t.add("POST", base() + "/{id}/reset", [&svc](const call& c, responder r) {
    svc.supervisors(answer_with<druid::supervisor_board>(
      std::move(r), [id = c.captures.at("id")](const druid::supervisor_board& b) {
        return b.find(id) ? jetty_error(500, "java.lang.UnsupportedOperationException: Resetting not supported for "
                                             "'autocompact' supervisors.")
                          : absent(id);
      }));
  });
}

} // namespace compactsim::http
