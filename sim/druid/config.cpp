#include "sim/druid/config.hpp"
#include "sim/druid/config_reading.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace detail {

/// Jackson's suffix naming the field that failed.
std::string chain(std::string_view field) {
  return std::string{" (through reference chain: "} + std::string{config_class} + "[\"" + std::string{field} + "\"])";
}

/// An integer field as Jackson coerces it (numbers, numeric strings).
bool read_int(const json::object& o, std::string_view key, std::string_view java_type, std::optional<std::int64_t>& out,
              std::string& error) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return true;
  const auto& v = it->value();
  if (v.is_int64()) {
    out = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double() && std::isfinite(v.get_double())) {
    // A number beyond long's range (boost reads an integer literal that
    // large as a double): Jackson's reportOverflowInt/Long, never a cast
    // that is undefined behaviour.
    double d = v.get_double();
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
      error = "Numeric value (" + json::serialize(v) + ") out of range of " +
              (java_type == "java.lang.Integer" ? std::string{"int (-2147483648 - 2147483647)"}
                                                : std::string{"long (-9223372036854775808 - 9223372036854775807)"}) +
              chain(key);
      return false;
    }
    out = static_cast<std::int64_t>(d);
  } else if (v.is_string()) {
    std::string s{v.get_string()};
    try {
      std::size_t used = 0;
      out = std::stoll(s, &used);
      if (used != s.size())
        throw std::invalid_argument{s};
    } catch (const std::exception&) {
      error = "Cannot deserialize value of type `" + std::string{java_type} + "` from String \"" + s +
              "\": not a valid `" + std::string{java_type} + "` value" + chain(key);
      return false;
    }
  } else {
    error = "Cannot deserialize value of type `" + std::string{java_type} + "` from " + jackson_describe(v) + chain(key);
    return false;
  }
  if (java_type == "java.lang.Integer" && (*out > INT32_MAX || *out < INT32_MIN)) {
    error = "Numeric value (" + std::to_string(*out) + ") out of range of int (-2147483648 - 2147483647)" + chain(key);
    return false;
  }
  return true;
}

json::value opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

} // namespace detail

namespace {

using namespace detail;

bool read_granularity(const json::object& o, std::string_view key, std::optional<granularity>& out,
                      std::string& error) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return true;
  out = granularity_from_json(it->value(), error);
  if (!out) // the property's deserializer failed: Jackson wraps it with the path
    error += " (through reference chain: " + std::string{config_class} +
             "[\"granularitySpec\"]->org.apache.druid.server.coordinator.UserCompactionTaskGranularityConfig[\"" +
             std::string{key} + "\"])";
  return out.has_value();
}

/// An object-or-null field passed through as given.
bool read_object(const json::object& o, std::string_view key, json::value& out, std::string& error) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return true;
  if (!it->value().is_object()) {
    error = "Cannot deserialize value of type `java.util.Map` from " + jackson_describe(it->value()) + chain(key);
    return false;
  }
  out = it->value();
  return true;
}

json::value gran_json(const std::optional<granularity>& g) { return g ? granularity_json(*g) : json::value(nullptr); }

/// {"dimensions": [...]}: duplicate names are rejected as Druid's ParserUtils does.
bool normalize_dimensions(const json::value& in, json::value& out, std::string& error) {
  if (in.is_null()) {
    out = nullptr;
    return true;
  }
  json::value dims = nullptr;
  if (in.is_object() && in.as_object().contains("dimensions"))
    dims = in.at("dimensions");
  if (!dims.is_null() && !dims.is_array()) {
    error = "Cannot deserialize value of type `java.util.ArrayList` from " + jackson_describe(dims) + chain("dimensionsSpec");
    return false;
  }
  if (dims.is_array()) {
    std::set<std::string> seen;
    for (const auto& d : dims.as_array()) {
      std::string name = d.is_string() ? std::string{d.get_string()}
                         : d.is_object() && d.as_object().contains("name") && d.at("name").is_string()
                           ? std::string{d.at("name").get_string()}
                           : std::string{};
      if (!seen.insert(name).second) {
        error = "Cannot specify a column more than once: [" + name + "] seen in dimensions list";
        return false;
      }
    }
  }
  json::object o;
  o["dimensions"] = dimension_schemas(dims); // as UserCompactionTaskDimensionsConfig writes them back
  out = std::move(o);
  return true;
}

} // namespace

std::optional<datasource_config> parse_datasource_config(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Cannot deserialize value of type `" + std::string{config_class} + "` from " + jackson_describe(v);
    return std::nullopt;
  }
  const auto& o = v.as_object();
  datasource_config c;
  auto ds = o.find("dataSource");
  if (ds == o.end() || ds->value().is_null()) {
    error = "Cannot construct instance of `" + std::string{config_class} + "`, problem: dataSource";
    return std::nullopt;
  }
  if (!ds->value().is_string()) {
    error = "Cannot deserialize value of type `java.lang.String` from " + jackson_describe(ds->value()) + chain("dataSource");
    return std::nullopt;
  }
  c.data_source = std::string{ds->value().get_string()};
  std::optional<std::int64_t> priority, input_size;
  if (!read_int(o, "taskPriority", "java.lang.Integer", priority, error) ||
      !read_int(o, "inputSegmentSizeBytes", "java.lang.Long", input_size, error) ||
      !read_int(o, "maxRowsPerSegment", "java.lang.Integer", c.max_rows_per_segment, error))
    return std::nullopt;
  c.task_priority = priority.value_or(c.task_priority);
  c.input_segment_size_bytes = input_size.value_or(c.input_segment_size_bytes);
  if (auto it = o.find("skipOffsetFromLatest");
      it != o.end() && !it->value().is_null() && !(it->value().is_string() && it->value().get_string().empty())) {
    // jackson-datatype-joda's PeriodDeserializer: an integer is new
    // Period(millis), which fills the time fields only (3600000 is PT1H,
    // 86400000 PT24H); a string is an ISO period ("" means the default).
    std::optional<period> p;
    if (it->value().is_string()) {
      p = parse_period(it->value().get_string());
    } else if (it->value().is_int64() &&
               std::llabs(it->value().get_int64() / 3'600'000) <= std::numeric_limits<std::int32_t>::max()) {
      const auto ms = it->value().get_int64();
      p = period{};
      p->hours = static_cast<std::int32_t>(ms / 3'600'000);
      p->minutes = static_cast<std::int32_t>(ms % 3'600'000 / 60'000);
      p->millis = ms % 60'000;
    }
    if (!p) {
      auto text = it->value().is_string() ? std::string{it->value().get_string()} : json::serialize(it->value());
      error = "Cannot deserialize value of type `org.joda.time.Period` from String \"" + text +
              "\": Invalid format: \"" + text + "\"" + chain("skipOffsetFromLatest");
      return std::nullopt;
    }
    c.skip_offset_from_latest = *p;
  }
  json::value tuning = nullptr, gran = nullptr, dims = nullptr, transform = nullptr, io = nullptr;
  if (auto it = o.find("tuningConfig"); it != o.end() && !normalize_tuning(it->value(), c.tuning_config, error))
    return std::nullopt;
  if (!read_object(o, "granularitySpec", gran, error) || !read_object(o, "transformSpec", transform, error) ||
      !read_object(o, "ioConfig", io, error) || !read_object(o, "taskContext", c.task_context, error))
    return std::nullopt;
  if (gran.is_object()) {
    c.has_granularity_spec = true;
    const auto& g = gran.as_object();
    if (!read_granularity(g, "segmentGranularity", c.segment_granularity, error) ||
        !read_granularity(g, "queryGranularity", c.query_granularity, error))
      return std::nullopt;
    if (auto r = g.find("rollup"); r != g.end() && r->value().is_bool())
      c.rollup = r->value().get_bool();
  }
  if (auto it = o.find("dimensionsSpec"); it != o.end() && !normalize_dimensions(it->value(), c.dimensions_spec, error))
    return std::nullopt;
  if (auto it = o.find("metricsSpec"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_array()) {
      error = "Cannot deserialize value of type `org.apache.druid.query.aggregation.AggregatorFactory[]` from " +
              jackson_describe(it->value()) + chain("metricsSpec");
      return std::nullopt;
    }
    c.metrics_spec = it->value();
  }
  if (transform.is_object()) {
    json::object t;
    auto f = transform.as_object().find("filter");
    t["filter"] = f == transform.as_object().end() ? json::value(nullptr) : f->value();
    c.transform_spec = std::move(t);
  }
  if (io.is_object()) {
    json::object i;
    auto d = io.as_object().find("dropExisting");
    i["dropExisting"] = d != io.as_object().end() && d->value().is_bool() && d->value().get_bool();
    c.io_config = std::move(i);
  }
  return c;
}

json::object datasource_config::to_json() const {
  json::object o;
  o["dataSource"] = data_source;
  o["taskPriority"] = task_priority;
  o["inputSegmentSizeBytes"] = input_segment_size_bytes;
  o["maxRowsPerSegment"] = opt(max_rows_per_segment);
  o["skipOffsetFromLatest"] = format_period(skip_offset_from_latest);
  o["tuningConfig"] = tuning_config;
  if (has_granularity_spec) {
    json::object g;
    g["segmentGranularity"] = gran_json(segment_granularity);
    g["queryGranularity"] = gran_json(query_granularity);
    g["rollup"] = rollup ? json::value(*rollup) : json::value(nullptr);
    o["granularitySpec"] = std::move(g);
  } else {
    o["granularitySpec"] = nullptr;
  }
  o["dimensionsSpec"] = dimensions_spec;
  o["metricsSpec"] = metrics_spec;
  o["transformSpec"] = transform_spec;
  o["ioConfig"] = io_config;
  o["taskContext"] = task_context;
  return o;
}

const datasource_config* cluster_compaction_config::find(const std::string& ds) const {
  auto it = configs_.find(ds);
  return it == configs_.end() ? nullptr : &it->second.config;
}

void cluster_compaction_config::put(datasource_config c) {
  auto it = configs_.find(c.data_source);
  if (it != configs_.end()) {
    it->second.config = std::move(c);
    return;
  }
  auto name = c.data_source;
  configs_.emplace(std::move(name), entry{next_seq_++, std::move(c)});
}

bool cluster_compaction_config::erase(const std::string& ds) { return configs_.erase(ds) > 0; }

std::vector<const datasource_config*> cluster_compaction_config::ordered() const {
  std::vector<std::pair<std::uint64_t, const datasource_config*>> by_seq;
  for (const auto& [name, e] : configs_)
    by_seq.emplace_back(e.seq, &e.config);
  std::sort(by_seq.begin(), by_seq.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> keys;
  for (const auto& [seq, c] : by_seq)
    keys.push_back(c->data_source);
  std::vector<const datasource_config*> out;
  for (const auto& k : java_hash_order(keys))
    out.push_back(find(k));
  return out;
}

json::object cluster_compaction_config::global_json() const {
  json::object g;
  g["compactionTaskSlotRatio"] = slot_ratio;
  g["maxCompactionTaskSlots"] = max_slots;
  g["useAutoScaleSlots"] = use_auto_scale_slots;
  return g;
}

json::object cluster_compaction_config::to_json() const {
  json::object o;
  json::array list;
  for (const auto* c : ordered())
    list.push_back(c->to_json());
  o["compactionConfigs"] = std::move(list);
  for (auto& [key, value] : global_json())
    o[key] = value;
  return o;
}

} // namespace compactsim::sim::druid
