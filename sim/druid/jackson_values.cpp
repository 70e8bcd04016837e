//! The Jackson-shaped values the Druid config and task readers share: how
//! Jackson names a value it could not map, granularities as Druid reads and
//! writes them, DimensionSchemas and combining aggregators as Druid writes
//! them back, and java.util.HashMap's iteration order.

#include "sim/druid/config.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

std::string jackson_describe(const json::value& v) {
  switch (v.kind()) {
  case json::kind::string: return "String \"" + std::string{v.get_string()} + "\"";
  case json::kind::object: return "Object value (token `JsonToken.START_OBJECT`)";
  case json::kind::array: return "Array value (token `JsonToken.START_ARRAY`)";
  case json::kind::bool_: return "Boolean value";
  default: return "value " + json::serialize(v);
  }
}

json::value dimension_schema(const json::value& d) {
  auto schema = [](json::value name, std::string_view type, json::value mvh, bool bitmap) {
    json::object o;
    o["type"] = type;
    o["name"] = std::move(name);
    // MultiValueHandling#fromString upper-cases; null is ofDefault().
    std::string handling = mvh.is_string() ? std::string{mvh.get_string()} : std::string{"SORTED_ARRAY"};
    std::transform(handling.begin(), handling.end(), handling.begin(), [](unsigned char c) { return std::toupper(c); });
    o["multiValueHandling"] = handling;
    o["createBitmapIndex"] = bitmap;
    return json::value(std::move(o));
  };
  if (d.is_string())
    return schema(d, "string", nullptr, true);
  if (!d.is_object())
    return d;
  const auto& o = d.as_object();
  auto get = [&](const char* key) { return o.contains(key) ? o.at(key) : json::value(nullptr); };
  auto type = get("type");
  std::string t = type.is_string() ? std::string{type.get_string()} : type.is_null() ? "string" : "";
  if (t == "string") {
    // Jackson coerces "false" to a Boolean; absent or null is true.
    auto bitmap = get("createBitmapIndex");
    bool on = bitmap.is_bool() ? bitmap.get_bool() : !(bitmap.is_string() && bitmap.get_string() == "false");
    return schema(get("name"), "string", get("multiValueHandling"), on);
  }
  // The numeric schemas' creators take neither: the default handling, no bitmap.
  if (t == "long" || t == "float" || t == "double")
    return schema(get("name"), t, nullptr, false);
  return d;
}

json::value dimension_schemas(const json::value& dims) {
  if (!dims.is_array())
    return dims;
  json::array out;
  for (const auto& d : dims.as_array())
    out.push_back(dimension_schema(d));
  return out;
}

json::object combining_aggregator(const std::string& metric) {
  return json::object{{"type", "longSum"}, {"name", metric}, {"fieldName", metric}};
}

std::int32_t java_string_hash(const std::string& s) {
  std::uint32_t h = 0;
  for (unsigned char ch : s)
    h = 31 * h + ch; // Java hashes UTF-16 units; names here are ASCII
  return static_cast<std::int32_t>(h);
}

std::vector<std::size_t> java_hash_permutation(const std::vector<const std::string*>& keys) {
  std::uint32_t capacity = 16;
  while (keys.size() > capacity * 3 / 4)
    capacity *= 2;
  // Each key's bucket once (hashing in the comparator hashed every key
  // about 2 log n times).
  std::vector<std::uint32_t> buckets(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto h = static_cast<std::uint32_t>(java_string_hash(*keys[i]));
    buckets[i] = (h ^ (h >> 16)) & (capacity - 1);
  }
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return buckets[a] < buckets[b]; });
  return order;
}

std::vector<std::string> java_hash_order(const std::vector<std::string>& keys) {
  std::vector<const std::string*> ptrs;
  ptrs.reserve(keys.size());
  for (const auto& k : keys)
    ptrs.push_back(&k);
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (auto i : java_hash_permutation(ptrs))
    out.push_back(keys[i]);
  return out;
}

std::optional<granularity> granularity_from_json(const json::value& v, std::string& problem) {
  constexpr std::string_view cls = "org.apache.druid.java.util.common.granularity.Granularity";
  if (v.is_string()) {
    // Granularity.fromString: GranularityType.valueOf(toUpperCase(str)).
    if (auto g = parse_granularity(v.get_string()))
      return g;
    std::string upper{v.get_string()};
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    problem = "Cannot construct instance of `" + std::string{cls} + "`, problem: No enum constant "
              "org.apache.druid.java.util.common.granularity.GranularityType." + upper;
    return std::nullopt;
  }
  const auto* type = v.is_object() ? v.as_object().if_contains("type") : nullptr;
  const std::string id = type && type->is_string() ? std::string{type->get_string()} : "";
  if (id == "all")
    return granularity::all;
  if (id == "none")
    return granularity::none;
  if (id == "period") {
    const auto& o = v.as_object();
    const auto* p = o.if_contains("period");
    if (!p || p->is_null()) {
      problem = "Cannot construct instance of `org.apache.druid.java.util.common.granularity.PeriodGranularity`, "
                "problem: period can't be null!";
      return std::nullopt;
    }
    auto parsed = p->is_string() ? parse_period(p->get_string()) : std::nullopt;
    if (!parsed) {
      problem = "Cannot deserialize value of type `org.joda.time.Period` from " + jackson_describe(*p);
      return std::nullopt;
    }
    if (*parsed == period{}) {
      problem = "Cannot construct instance of `org.apache.druid.java.util.common.granularity.PeriodGranularity`, "
                "problem: zero period is not acceptable in PeriodGranularity!";
      return std::nullopt;
    }
    const auto* tz = o.if_contains("timeZone");
    const auto* origin = o.if_contains("origin");
    const bool utc = !tz || tz->is_null() || (tz->is_string() && tz->get_string() == "UTC");
    if (utc && (!origin || origin->is_null()))
      if (auto g = granularity::of_period(*parsed))
        return g;
    problem = "compactsim models granularities in UTC from the epoch only; {\"type\": \"period\", \"period\": \"" +
              format_period(*parsed) + "\"} with this time zone or origin is not one of them";
    return std::nullopt;
  }
  if (id == "duration") {
    problem = "compactsim models the standard granularities only; duration granularities are not modelled";
    return std::nullopt;
  }
  if (v.is_object()) {
    problem = "Cannot construct instance of `" + std::string{cls} + "` (although at least one Creator exists): "
              "cannot deserialize from Object value (no delegate- or property-based Creator)";
    return std::nullopt;
  }
  problem = "Cannot deserialize value of type `" + std::string{cls} + "` from " + jackson_describe(v);
  return std::nullopt;
}

json::value granularity_json(granularity g) {
  if (g == granularity::all)
    return json::object{{"type", "all"}};
  if (g == granularity::none)
    return json::object{{"type", "none"}};
  if (g.kind() == granularity::type::period) {
    // PeriodGranularity#serialize for a period no GranularityType has.
    json::object o;
    o["type"] = "period";
    o["period"] = format_period(g.step());
    o["timeZone"] = "UTC";
    o["origin"] = nullptr;
    return o;
  }
  return json::string(to_string(g));
}

} // namespace compactsim::sim::druid
