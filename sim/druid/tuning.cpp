//! A tuningConfig as a compaction config carries it: Druid's fields in
//! its order, the partitionsSpec checked and normalised as
//! PartitionsSpec's creators do, and what the model reads of it (the
//! partitions a task writes, the task slots it takes).

#include "sim/druid/config.hpp"
#include "sim/druid/config_reading.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace {

using namespace detail;

constexpr const char* tuning_fields[] = {
  "maxRowsInMemory", "appendableIndexSpec", "maxBytesInMemory", "maxTotalRows", "splitHintSpec", "partitionsSpec",
  "indexSpec", "indexSpecForIntermediatePersists", "maxPendingPersists", "pushTimeout",
  "segmentWriteOutMediumFactory", "maxNumConcurrentSubTasks", "maxRetry", "taskStatusCheckPeriodMs",
  "chatHandlerTimeout", "chatHandlerNumRetries", "maxNumSegmentsToMerge", "totalNumMergeTasks", "maxColumnsToMerge"};

bool normalize_partitions(const json::value& in, json::value& out, std::string& error) {
  if (in.is_null()) {
    out = nullptr;
    return true;
  }
  if (!in.is_object() || !in.as_object().contains("type") || !in.at("type").is_string()) {
    error = "Missing type id when trying to resolve subtype of [simple type, class "
            "org.apache.druid.indexer.partitions.PartitionsSpec]: missing type id property 'type'";
    return false;
  }
  const auto& o = in.as_object();
  std::string type{o.at("type").as_string()};
  if (type == "dynamic") {
    json::object p;
    p["type"] = "dynamic";
    std::optional<std::int64_t> rows, total;
    std::string e;
    if (!read_int(o, "maxRowsPerSegment", "java.lang.Integer", rows, error) ||
        !read_int(o, "maxTotalRows", "java.lang.Long", total, error))
      return false;
    p["maxRowsPerSegment"] = rows.value_or(default_max_rows_per_segment);
    p["maxTotalRows"] = opt(total);
    out = std::move(p);
    return true;
  }
  if (type == "hashed") {
    // HashedPartitionsSpec's @JsonCreator: -1 means null; targetRowsPerSegment,
    // targetPartitionSize and maxRowsPerSegment are aliases, at most one of
    // them, and not with numShards (Checks.checkAtMostOneNotNull); what is
    // given must be positive.
    struct property {
      std::string name;
      std::optional<std::int64_t> value;
      std::string text() const {
        return "Property{name='" + name + "', value=" + (value ? std::to_string(*value) : "null") + "}";
      }
    };
    auto read = [&](const char* key, property& p) {
      p.name = key;
      if (!read_int(o, key, "java.lang.Integer", p.value, error))
        return false;
      if (p.value == -1)
        p.value.reset();
      return true;
    };
    property rows, partition_size, max_rows, shards;
    if (!read("targetRowsPerSegment", rows) || !read("targetPartitionSize", partition_size) ||
        !read("maxRowsPerSegment", max_rows) || !read("numShards", shards))
      return false;
    const std::string problem = "Cannot construct instance of `org.apache.druid.indexer.partitions.HashedPartitionsSpec`, "
                                "problem: ";
    const std::string where = " (through reference chain: " + std::string{config_class} +
                              "[\"tuningConfig\"]->org.apache.druid.server.coordinator."
                              "UserCompactionTaskQueryTuningConfig[\"partitionsSpec\"])";
    std::optional<property> bad_pair;
    auto at_most_one = [&](const property& a, const property& b) -> const property& {
      if (a.value && b.value && !bad_pair) {
        error = problem + "At most one of [" + a.text() + "] or [" + b.text() + "] must be present" + where;
        bad_pair = a;
      }
      return a.value || !b.value ? a : b;
    };
    const auto& target = at_most_one(at_most_one(rows, partition_size), max_rows);
    at_most_one(target, shards);
    if (bad_pair)
      return false;
    if (target.value && *target.value <= 0) {
      error = problem + target.name + "[" + std::to_string(*target.value) + "] should be positive" + where;
      return false;
    }
    if (shards.value && *shards.value <= 0) {
      error = problem + "numShards[" + std::to_string(*shards.value) + "] should be positive" + where;
      return false;
    }
    out = in;
    return true;
  }
  if (type == "range" || type == "single_dim") {
    out = in;
    return true;
  }
  error = "Could not resolve type id '" + type +
          "' as a subtype of `org.apache.druid.indexer.partitions.PartitionsSpec`: known type ids = "
          "[dynamic, hashed, range, single_dim]";
  return false;
}

} // namespace

bool detail::normalize_tuning(const json::value& in, json::value& out, std::string& error) {
  if (in.is_null()) {
    out = nullptr;
    return true;
  }
  if (!in.is_object()) {
    error = "Cannot deserialize value of type `org.apache.druid.server.coordinator.UserCompactionTaskQueryTuningConfig` "
            "from " + jackson_describe(in) + chain("tuningConfig");
    return false;
  }
  const auto& o = in.as_object();
  json::object t;
  for (const char* f : tuning_fields) {
    auto it = o.find(f);
    json::value v = it == o.end() ? json::value(nullptr) : it->value();
    if (std::string_view{f} == "partitionsSpec" && !normalize_partitions(v, v, error))
      return false;
    if (std::string_view{f} == "maxNumConcurrentSubTasks") {
      std::optional<std::int64_t> n;
      if (!read_int(o, f, "java.lang.Integer", n, error))
        return false;
      v = opt(n);
    }
    t[f] = std::move(v);
  }
  t["type"] = "index_parallel";
  auto fg = o.find("forceGuaranteedRollup");
  t["forceGuaranteedRollup"] = fg != o.end() && fg->value().is_bool() && fg->value().get_bool();
  out = std::move(t);
  return true;
}


json::object normalized_partitions_spec(const json::value& tuning, std::optional<std::int64_t> max_rows) {
  if (tuning.is_object()) {
    auto it = tuning.as_object().find("partitionsSpec");
    if (it != tuning.as_object().end() && it->value().is_object())
      return it->value().as_object();
  }
  json::object p;
  p["type"] = "dynamic";
  p["maxRowsPerSegment"] = max_rows.value_or(default_max_rows_per_segment);
  p["maxTotalRows"] = INT64_MAX;
  return p;
}

int slots_for(const json::value& tuning) {
  if (!tuning.is_object())
    return 1;
  const auto& o = tuning.as_object();
  auto it = o.find("maxNumConcurrentSubTasks");
  if (it == o.end() || !it->value().is_int64())
    return 1;
  auto n = it->value().get_int64();
  bool range = false;
  if (auto p = o.find("partitionsSpec"); p != o.end() && p->value().is_object()) {
    auto type = p->value().as_object().find("type");
    range = type != p->value().as_object().end() && type->value().is_string() &&
            (type->value().get_string() == "range" || type->value().get_string() == "single_dim");
  }
  // Parallel mode: maxNumConcurrentSubTasks >= 2, or >= 1 for range partitioning.
  bool parallel = n >= 2 || (range && n >= 1);
  return parallel ? static_cast<int>(std::min<std::int64_t>(n, 1'000'000)) + 1 : 1;
}

} // namespace compactsim::sim::druid
