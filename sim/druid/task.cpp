#include "sim/druid/task.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "sim/druid/config.hpp"

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace {

constexpr std::string_view task_class = "org.apache.druid.indexing.common.task.CompactionTask";

const json::value& field(const json::object& o, std::string_view k) { return member(o, k); }

error jackson(std::string problem) {
  return {error_kind::jackson, "Cannot construct instance of `" + std::string{task_class} + "`, problem: " + problem};
}

/// A granularity property; a failure carries Jackson's reference chain
/// (`chain`: "CompactionTask["granularitySpec"]->...["segmentGranularity"]").
std::optional<granularity> read_gran(const json::value& v, std::optional<error>& err, std::string_view chain) {
  if (v.is_null())
    return std::nullopt;
  std::string problem;
  auto g = granularity_from_json(v, problem);
  if (!g && !err)
    err = error{error_kind::jackson, problem + " (through reference chain: " + std::string{chain} + ")"};
  return g;
}

constexpr std::string_view task_spec_chain =
  "org.apache.druid.indexing.common.task.CompactionTask[\"granularitySpec\"]->"
  "org.apache.druid.client.indexing.ClientCompactionTaskGranularitySpec";

} // namespace

const json::value& member(const json::object& o, std::string_view k) {
  static const json::value null;
  auto it = o.find(k);
  return it == o.end() ? null : it->value();
}

namespace {

/// The UTF-16 code units of UTF-8 text, as a Java String holds it (a byte
/// that is not valid UTF-8 becomes U+FFFD, as Jackson's decoder does).
std::vector<std::uint32_t> utf16_units(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xe ? 2 : (b >> 3) == 0x1e ? 3 : -1;
    std::uint32_t cp = extra == 0 ? b : extra == 1 ? b & 0x1f : extra == 2 ? b & 0x0f : b & 0x07;
    bool ok = extra >= 0 && i + static_cast<std::size_t>(extra) < s.size() + (extra == 0 ? 1 : 0);
    for (int k = 1; ok && k <= extra; ++k) {
      auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      ok = (c >> 6) == 0x2;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(extra) + 1;
    if (cp > 0xffff) {
      cp -= 0x10000;
      out.push_back(0xd800 + (cp >> 10));
      out.push_back(0xdc00 + (cp & 0x3ff));
    } else {
      out.push_back(cp);
    }
  }
  return out;
}

} // namespace

std::optional<error> validate_task_id(const std::string& id) {
  // Thrown from the task's constructor, so Jackson wraps it as a creator problem.
  auto bad = [&](std::string why) {
    return jackson("Invalid value for field [task ID]: " + (id.empty() ? why : "Value [" + id + "] " + why));
  };
  if (id.empty())
    return bad("must not be null");
  if (id[0] == '.')
    return bad("cannot start with '.'.");
  if (id.find('/') != std::string::npos)
    return bad("cannot contain '/'.");
  // INVALIDCHARS, "(?s).*[^\\S ].*": any whitespace but the space.
  for (char c : id)
    if (c != ' ' && std::isspace(static_cast<unsigned char>(c)))
      return bad("contains illegal whitespace characters.  Only space is allowed.");
  // Curator's ranges, by UTF-16 unit: control characters, C1, surrogates and
  // the private use area, specials.
  auto units = utf16_units(id);
  for (std::size_t i = 0; i < units.size(); ++i) {
    auto c = units[i];
    if ((c > 0 && c < 31) || (c > 127 && c < 159) || (c > 0xd800 && c < 0xf8ff) || (c > 0xfff0 && c < 0xffff))
      return bad("contains illegal UTF8 character [#" + std::to_string(c) + "] at position [" + std::to_string(i) + "]");
  }
  return std::nullopt;
}

std::variant<compact_task, error> parse_compact_task(const json::value& spec) {
  if (!spec.is_object())
    return error{error_kind::jackson, "Cannot deserialize value of type `org.apache.druid.indexing.common.task.Task` "
                                      "from non-object JSON value"};
  const auto& o = spec.as_object();
  const auto& type = field(o, "type");
  if (!type.is_string())
    return error{error_kind::jackson, "Could not resolve subtype of [simple type, class "
                                      "org.apache.druid.indexing.common.task.Task]: missing type id property 'type'"};
  if (type.get_string() != "compact")
    return error{error_kind::jackson, "Could not resolve type id '" + std::string{type.get_string()} +
                                      "' as a subtype of `org.apache.druid.indexing.common.task.Task`: "
                                      "compactsim simulates compaction tasks only (type 'compact')"};
  compact_task t;
  const auto& ds = field(o, "dataSource");
  if (!ds.is_string() || ds.get_string().empty())
    return jackson("dataSource");
  t.data_source = std::string{ds.get_string()};

  // Exactly one of ioConfig, interval and segments.
  const auto& io = field(o, "ioConfig");
  int given = int(!io.is_null()) + int(!field(o, "interval").is_null()) + int(!field(o, "segments").is_null());
  if (given > 1)
    return jackson("At most one of properties[[ioConfig, interval, segments]] must be present");
  if (given == 0)
    return jackson("At least one of properties[[ioConfig, interval, segments]] must be present");
  json::value input = nullptr;
  if (io.is_object()) {
    // CompactionIOConfig is @JsonTypeName("compact") under IOConfig's
    // @JsonTypeInfo(property = "type"): the type id is required and must
    // name it; a number is read as its text.
    const auto& io_type = field(io.as_object(), "type");
    if (io_type.is_null() || io_type.is_array() || io_type.is_object())
      return error{error_kind::jackson, "Could not resolve subtype of [simple type, class "
                                        "org.apache.druid.indexing.common.task.CompactionIOConfig]: missing type id "
                                        "property 'type' (for POJO property 'ioConfig')"};
    const auto id = io_type.is_string() ? std::string{io_type.get_string()} : json::serialize(io_type);
    if (id != "compact")
      return error{error_kind::jackson, "Please make sure to load all the necessary extensions and jars with type '" + id +
                                        "' on 'druid/overlord' service. Could not resolve type id '" + id +
                                        "' as a subtype of `org.apache.druid.indexing.common.task.CompactionIOConfig` "
                                        "known type ids = [compact, realtime] (for POJO property 'ioConfig')"};
    input = field(io.as_object(), "inputSpec");
    t.drop_existing = field(io.as_object(), "dropExisting").is_bool() && field(io.as_object(), "dropExisting").get_bool();
  } else if (!field(o, "interval").is_null()) {
    input = json::object{{"type", "interval"}, {"interval", field(o, "interval")}};
  } else {
    input = json::object{{"type", "segments"}, {"segments", field(o, "segments")}};
  }
  if (!input.is_object() || !field(input.as_object(), "type").is_string())
    return error{error_kind::jackson, "Could not resolve subtype of [simple type, class "
                                      "org.apache.druid.client.indexing.CompactionInputSpec]: missing type id property 'type'"};
  auto input_type = std::string{field(input.as_object(), "type").get_string()};
  if (input_type == "interval") {
    const auto& text = field(input.as_object(), "interval");
    auto span = text.is_string() ? parse_interval(text.get_string()) : std::nullopt;
    if (!span)
      return error{error_kind::jackson, "Cannot construct instance of `org.apache.druid.indexing.common.task.CompactionIntervalSpec`, "
                                        "problem: Invalid format: \"" + (text.is_string() ? std::string{text.get_string()} : json::serialize(text)) + "\""};
    if (span->empty())
      return jackson("Interval[" + format_interval(*span) + "] is empty, must specify a nonempty interval");
    t.span = *span;
  } else if (input_type == "segments") {
    const auto& list = field(input.as_object(), "segments");
    if (!list.is_array() || list.as_array().empty())
      return jackson("Empty list of intervals");
    for (const auto& id : list.as_array()) {
      if (!id.is_string())
        return error{error_kind::jackson, "Cannot deserialize value of type `java.lang.String` from " + json::serialize(id)};
      t.segment_ids.emplace_back(id.get_string());
    }
  } else {
    return error{error_kind::jackson, "Could not resolve type id '" + input_type +
                                      "' as a subtype of `org.apache.druid.client.indexing.CompactionInputSpec`: "
                                      "known type ids = [interval, segments]"};
  }

  std::optional<error> err;
  const auto& gspec = field(o, "granularitySpec");
  if (!gspec.is_null() && !gspec.is_object())
    return error{error_kind::jackson, "Cannot deserialize value of type `org.apache.druid.client.indexing.ClientCompactionTaskGranularitySpec` from " + jackson_describe(gspec) + " (through reference chain: org.apache.druid.indexing.common.task.CompactionTask[\"granularitySpec\"])"};
  if (gspec.is_object()) {
    t.segment_granularity = read_gran(field(gspec.as_object(), "segmentGranularity"), err,
                                      std::string{task_spec_chain} + "[\"segmentGranularity\"]");
    t.query_granularity = read_gran(field(gspec.as_object(), "queryGranularity"), err,
                                    std::string{task_spec_chain} + "[\"queryGranularity\"]");
    if (field(gspec.as_object(), "rollup").is_bool())
      t.rollup = field(gspec.as_object(), "rollup").get_bool();
  }
  auto top = read_gran(field(o, "segmentGranularity"), err,
                       "org.apache.druid.indexing.common.task.CompactionTask[\"segmentGranularity\"]");
  if (err)
    return *err;
  if (top && t.segment_granularity && *top != *t.segment_granularity)
    return jackson("Conflicting segment granularities found " + std::string{to_string(*top)} +
                   "(segmentGranularity) and " + std::string{to_string(*t.segment_granularity)} +
                   "(granularitySpec.segmentGranularity).\nRemove `segmentGranularity` and set the "
                   "`granularitySpec.segmentGranularity` to the expected granularity");
  if (top)
    t.segment_granularity = top;

  t.tuning = field(o, "tuningConfig");
  if (t.tuning.is_object()) {
    const auto& tt = field(t.tuning.as_object(), "type");
    if (tt.is_string() && tt.get_string() != "index_parallel" && tt.get_string() != "index" && tt.get_string() != "compaction")
      return jackson("Unknown tuningConfig type: " + std::string{tt.get_string()});
  }
  const auto& dims = field(o, "dimensionsSpec");
  t.dimensions = dims.is_object() ? dimension_schemas(field(dims.as_object(), "dimensions")) : json::value(nullptr);
  t.metrics = field(o, "metricsSpec");
  const auto& transform = field(o, "transformSpec");
  t.filter = transform.is_object() ? field(transform.as_object(), "filter") : json::value(nullptr);
  const auto& context = field(o, "context");
  if (context.is_object()) {
    const auto& store = field(context.as_object(), "storeCompactionState");
    t.store_state = store.is_bool() && store.get_bool();
    const auto& prio = field(context.as_object(), "priority");
    if (prio.is_int64())
      t.priority = prio.get_int64();
  }
  t.slots = slots_for(t.tuning);

  const auto& id = field(o, "id");
  if (!id.is_null() && !id.is_string())
    return error{error_kind::jackson, "Cannot deserialize value of type `java.lang.String` from " + json::serialize(id)};
  if (id.is_string()) {
    t.id = std::string{id.get_string()};
    if (auto bad = validate_task_id(t.id))
      return *bad;
  }
  return t;
}

} // namespace compactsim::sim::druid
