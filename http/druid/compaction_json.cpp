#include "http/druid/compaction_json.hpp"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <boost/json/serialize.hpp>

#include "http/druid/druid_answers.hpp"
#include "sim/core/iso8601.hpp"

namespace compactsim::http {

namespace json = boost::json;
namespace druid = sim::druid;

namespace {

constexpr std::string_view cluster_config_class = "org.apache.druid.server.coordinator.ClusterCompactionConfig";
constexpr std::string_view policy_class = "org.apache.druid.server.compaction.CompactionCandidateSearchPolicy";

std::string chain(std::string_view field) {
  return " (through reference chain: " + std::string{cluster_config_class} + "[\"" + std::string{field} + "\"])";
}

/// A number field as Jackson coerces it into `java_type` (numbers, and
/// numeric strings); nullopt for null or absent, the error text otherwise.
template <class T>
std::optional<T> read_number(const json::object& o, std::string_view key, std::string_view java_type,
                             std::string& error) {
  constexpr bool integral = std::is_integral_v<T>;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return std::nullopt;
  const auto& v = it->value();
  if (v.is_number()) {
    // Jackson's ACCEPT_FLOAT_AS_INT truncates 2.5 to 2.
    auto d = v.to_number<double>();
    if constexpr (integral) {
      if (v.is_int64() || v.is_uint64()) {
        auto wide = v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64());
        if (wide < INT32_MIN || wide > INT32_MAX) {
          error = "Numeric value (" + json::serialize(v) + ") out of range of int (-2147483648 - 2147483647)" +
                  chain(key);
          return std::nullopt;
        }
        return static_cast<T>(wide);
      }
      auto truncated = std::trunc(d);
      if (!(truncated >= INT32_MIN && truncated <= INT32_MAX)) {
        error = "Numeric value (" + json::serialize(v) + ") out of range of int (-2147483648 - 2147483647)" +
                chain(key);
        return std::nullopt;
      }
      return static_cast<T>(truncated);
    } else {
      return static_cast<T>(d);
    }
  }
  if (v.is_string()) {
    std::string s{v.get_string()};
    char* end = nullptr;
    T value{};
    bool in_range = true;
    if constexpr (integral) {
      errno = 0;
      auto wide = std::strtoll(s.c_str(), &end, 10);
      in_range = errno == 0 && wide >= INT32_MIN && wide <= INT32_MAX;
      value = static_cast<T>(wide);
    } else {
      value = static_cast<T>(std::strtod(s.c_str(), &end));
    }
    if (!s.empty() && end == s.c_str() + s.size() && !in_range) {
      error = "Numeric value (" + s + ") out of range of int (-2147483648 - 2147483647)" + chain(key);
      return std::nullopt;
    }
    if (!s.empty() && end == s.c_str() + s.size())
      return value;
    error = "Cannot deserialize value of type `" + std::string{java_type} + "` from String \"" + s +
            "\": not a valid `" + std::string{java_type} + "` value" + chain(key);
    return std::nullopt;
  }
  error = "Cannot deserialize value of type `" + std::string{java_type} + "` from " + druid::jackson_describe(v) +
          chain(key);
  return std::nullopt;
}

/// The compactionPolicy field: NewestSegmentFirstPolicy, Druid 31's only subtype.
std::optional<druid::compaction_policy> read_policy(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Unexpected token (" + std::string{v.is_array() ? "START_ARRAY" : "VALUE_STRING"} +
            "), expected START_OBJECT: need JSON Object to contain As.PROPERTY type information (for subtype of " +
            std::string{policy_class} + ")" + chain("compactionPolicy");
    return std::nullopt;
  }
  const auto& policy = v.as_object();
  auto type = policy.find("type");
  if (type == policy.end() || type->value().is_null() || type->value().is_object() || type->value().is_array()) {
    error = "Could not resolve subtype of [simple type, class " + std::string{policy_class} +
            "]: missing type id property 'type' (for POJO property 'compactionPolicy')";
    return std::nullopt;
  }
  auto id = type->value().is_string() ? std::string{type->value().get_string()} : json::serialize(type->value());
  if (id != "newestSegmentFirst") {
    error = "Please make sure to load all the necessary extensions and jars with type '" + id +
            "' on 'druid/coordinator' service. Could not resolve type id '" + id + "' as a subtype of `" +
            std::string{policy_class} + "` known type ids = [newestSegmentFirst] (for POJO property 'compactionPolicy')";
    return std::nullopt;
  }
  druid::compaction_policy out;
  if (auto p = policy.find("priorityDatasource"); p != policy.end() && !p->value().is_null()) {
    if (p->value().is_object() || p->value().is_array()) {
      error = "Cannot deserialize value of type `java.lang.String` from " + druid::jackson_describe(p->value()) +
              " (through reference chain: " + std::string{cluster_config_class} +
              "[\"compactionPolicy\"]->org.apache.druid.server.compaction.NewestSegmentFirstPolicy[\"priorityDatasource\"])";
      return std::nullopt;
    }
    // Jackson coerces a scalar to String.
    out.priority_datasource =
      p->value().is_string() ? std::string{p->value().get_string()} : json::serialize(p->value());
  }
  return out;
}

json::object global_json(double ratio, std::int64_t max, bool auto_scale, const druid::compaction_policy& policy,
                         int version) {
  json::object g;
  g["compactionTaskSlotRatio"] = ratio;
  g["maxCompactionTaskSlots"] = max;
  g["useAutoScaleSlots"] = auto_scale;
  if (version >= 31)
    g["compactionPolicy"] = policy_json(policy);
  return g;
}

} // namespace

json::object policy_json(const druid::compaction_policy& p) {
  return json::object{{"type", "newestSegmentFirst"},
                      {"priorityDatasource", p.priority_datasource ? json::value(*p.priority_datasource) : nullptr}};
}

json::object cluster_config_json(const druid::cluster_compaction_config& c, int version) {
  // DruidCompactionConfig's creator order: the configs, then the global settings.
  json::object o;
  json::array list;
  for (const auto* d : c.ordered())
    list.push_back(d->to_json());
  o["compactionConfigs"] = std::move(list);
  for (auto& [key, value] : global_json(c.slot_ratio, c.max_slots, c.use_auto_scale_slots, c.policy, version))
    o[key] = value;
  return o;
}

json::array history_json(const std::vector<druid::history_entry>& entries, int version) {
  json::array out;
  for (const auto& e : entries) {
    json::object entry;
    entry["globalConfig"] = global_json(e.slot_ratio, e.max_slots, e.use_auto_scale_slots, e.policy, version);
    entry["compactionConfig"] = e.config ? json::value(e.config->to_json()) : json::value(nullptr);
    entry["auditInfo"] = json::object{{"author", e.info.author}, {"comment", e.info.comment}, {"ip", e.info.ip}};
    entry["auditTime"] = druid::format_instant(e.time);
    out.push_back(std::move(entry));
  }
  return out;
}

json::object snapshot_json(const druid::auto_compaction_snapshot& s, int version) {
  json::object o;
  o["dataSource"] = s.data_source;
  o["scheduleStatus"] = s.enabled ? "RUNNING" : "NOT_ENABLED";
  if (version >= 31)
    o["message"] = s.message ? json::value(*s.message) : json::value(nullptr);
  o["bytesAwaitingCompaction"] = s.awaiting.bytes;
  o["bytesCompacted"] = s.compacted.bytes;
  o["bytesSkipped"] = s.skipped.bytes;
  o["segmentCountAwaitingCompaction"] = s.awaiting.segments;
  o["segmentCountCompacted"] = s.compacted.segments;
  o["segmentCountSkipped"] = s.skipped.segments;
  o["intervalCountAwaitingCompaction"] = s.awaiting.intervals;
  o["intervalCountCompacted"] = s.compacted.intervals;
  o["intervalCountSkipped"] = s.skipped.intervals;
  return o;
}

response status_answer(const druid::compaction_status& st, const std::optional<std::string>& ds, int version) {
  json::array list;
  if (ds && !ds->empty()) {
    const auto* s = st.find(*ds);
    if (!s)
      return version >= 31 ? druid_exception(404, "notFound", "NOT_FOUND", "Unknown DataSource")
                           : error_body(404, "unknown dataSource");
    list.push_back(snapshot_json(*s, version));
  } else {
    for (const auto& s : st.latest)
      list.push_back(snapshot_json(s, version));
  }
  return json_body(200, json::object{{"latestStatus", std::move(list)}});
}

response progress_answer(const druid::compaction_status& st, const std::optional<std::string>& ds, int version) {
  if (version >= 31 && (!ds || ds->empty()))
    return druid_exception(400, "invalidInput", "INVALID_INPUT", "No DataSource specified");
  const auto* s = ds ? st.find(*ds) : nullptr;
  if (!s)
    return version >= 31 ? druid_exception(404, "notFound", "NOT_FOUND", "Unknown DataSource")
                         : error_body(404, "unknown dataSource");
  return json_body(200, json::object{{"remainingSegmentSize", s->awaiting.bytes}});
}

std::optional<druid::cluster_update> read_cluster_update(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Cannot deserialize value of type `" + std::string{cluster_config_class} + "` from " +
            druid::jackson_describe(v);
    return std::nullopt;
  }
  const auto& o = v.as_object();
  druid::cluster_update u;
  u.ratio = read_number<double>(o, "compactionTaskSlotRatio", "java.lang.Double", error);
  if (!error.empty())
    return std::nullopt;
  u.max = read_number<std::int32_t>(o, "maxCompactionTaskSlots", "java.lang.Integer", error);
  if (!error.empty())
    return std::nullopt;
  if (auto it = o.find("useAutoScaleSlots"); it != o.end() && !it->value().is_null()) {
    const auto& b = it->value();
    if (b.is_bool())
      u.auto_scale = b.get_bool();
    else if (b.is_string() && (b.get_string() == "true" || b.get_string() == "false"))
      u.auto_scale = b.get_string() == "true";
    else {
      error = "Cannot deserialize value of type `java.lang.Boolean` from " + druid::jackson_describe(b) +
              chain("useAutoScaleSlots");
      return std::nullopt;
    }
  }
  if (auto it = o.find("compactionPolicy"); it != o.end() && !it->value().is_null()) {
    u.policy = read_policy(it->value(), error);
    if (!u.policy)
      return std::nullopt;
  }
  return u;
}

} // namespace compactsim::http
