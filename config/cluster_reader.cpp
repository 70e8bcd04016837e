#include "config/cluster_reader.hpp"

#include <boost/json.hpp>


namespace compactsim::config {

using namespace sim;

namespace json = boost::json;

namespace {

/// Reads typed fields of one JSON object and remembers the first error,
/// naming the field by its path ("doris.tables[0].buckets").
class reader {
public:
  reader(const json::object& obj, std::string path, std::string& error)
    : obj_(obj), path_(std::move(path)), error_(error) {}

  template <class T>
  void field(std::string_view key, T& out) {
    auto* v = obj_.if_contains(key);
    if (v == nullptr || !error_.empty())
      return;
    if (!read(*v, out))
      error_ = where(key) + ": expected " + expected<T>();
  }

  std::string where(std::string_view key) const {
    return path_.empty() ? std::string{key} : path_ + "." + std::string{key};
  }

  void fail(std::string_view key, std::string msg) {
    if (error_.empty())
      error_ = where(key) + ": " + msg;
  }

private:
  static bool read(const json::value& v, bool& out) {
    if (!v.is_bool()) return false;
    out = v.get_bool();
    return true;
  }
  static bool read(const json::value& v, std::string& out) {
    if (!v.is_string()) return false;
    out = std::string{v.get_string()};
    return true;
  }
  static bool read(const json::value& v, double& out) {
    if (!v.is_number()) return false;
    out = v.to_number<double>();
    return true;
  }
  template <class Int>
    requires std::is_integral_v<Int>
  static bool read(const json::value& v, Int& out) {
    boost::system::error_code ec;
    auto n = v.to_number<Int>(ec);
    if (ec) return false;
    out = n;
    return true;
  }
  template <class T>
  static std::string expected() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else return "an integer in range";
  }

  const json::object& obj_;
  std::string path_;
  std::string& error_;
};

const json::object* as_object(const json::value* v, const std::string& path, std::string& error) {
  if (v == nullptr)
    return nullptr;
  if (!v->is_object()) {
    error = path + ": expected an object";
    return nullptr;
  }
  return &v->get_object();
}

void read_knobs(const json::object& o, const std::string& path, doris_knobs& k, std::string& error) {
  reader r{o, path, error};
  // Every knob of doris_knobs, by its be.conf name.
#define COMPACTSIM_KNOB(name) r.field(#name, k.name)
  COMPACTSIM_KNOB(disable_auto_compaction);
  COMPACTSIM_KNOB(compaction_task_num_per_disk);
  COMPACTSIM_KNOB(cumulative_compaction_rounds_for_each_base_compaction_round);
  COMPACTSIM_KNOB(generate_compaction_tasks_interval_ms);
  COMPACTSIM_KNOB(producer_idle_sleep_ms);
  COMPACTSIM_KNOB(cumulative_compaction_min_deltas);
  COMPACTSIM_KNOB(cumulative_compaction_max_deltas);
  COMPACTSIM_KNOB(compaction_promotion_size_mbytes);
  COMPACTSIM_KNOB(compaction_promotion_ratio);
  COMPACTSIM_KNOB(compaction_promotion_min_size_mbytes);
  COMPACTSIM_KNOB(compaction_promotion_version_count);
  COMPACTSIM_KNOB(compaction_min_size_mbytes);
  COMPACTSIM_KNOB(base_compaction_min_rowset_num);
  COMPACTSIM_KNOB(base_compaction_min_data_ratio);
  COMPACTSIM_KNOB(base_compaction_max_compaction_score);
  COMPACTSIM_KNOB(base_compaction_interval_seconds_since_last_operation);
  COMPACTSIM_KNOB(min_compaction_failure_interval_ms);
  COMPACTSIM_KNOB(skip_tablet_compaction_second);
  COMPACTSIM_KNOB(max_tablet_version_num);
  COMPACTSIM_KNOB(tablet_rowset_stale_sweep_time_sec);
  COMPACTSIM_KNOB(disk_throughput_bytes_per_sec);
  COMPACTSIM_KNOB(compaction_fixed_cost_ms);
  COMPACTSIM_KNOB(segment_size_bytes);
  COMPACTSIM_KNOB(manual_compaction_wait_ms);
  COMPACTSIM_KNOB(max_base_compaction_threads);
  COMPACTSIM_KNOB(pick_rowset_to_compact_interval_sec);
  COMPACTSIM_KNOB(enable_sleep_between_delete_cumu_compaction);
#undef COMPACTSIM_KNOB
  if (error.empty())
    if (auto bad = knob_range_error(k); !bad.empty())
      error = path + "." + bad;
}

void read_table(const json::object& o, const std::string& path, doris_table_config& t, std::string& error) {
  reader r{o, path, error};
  r.field("id", t.id);
  r.field("name", t.name);
  std::string keys{to_string(t.keys)};
  r.field("keys_type", keys);
  if (auto k = parse_keys_type(keys))
    t.keys = *k;
  else
    r.fail("keys_type", "expected DUP_KEYS, AGG_KEYS or UNIQUE_KEYS");
  r.field("merge_on_write", t.merge_on_write);
  r.field("buckets", t.buckets);
  r.field("replication_num", t.replication_num);
  std::uint32_t hash = 0;
  r.field("schema_hash", hash);
  if (hash != 0)
    t.schema_hash = hash;
  r.field("disable_auto_compaction", t.disable_auto_compaction);
  r.field("initial_loads", t.initial_loads);
  if (auto* ids = o.if_contains("tablet_ids")) {
    if (!ids->is_array())
      r.fail("tablet_ids", "expected an array of integers");
    else
      for (const auto& id : ids->get_array()) {
        if (!id.is_int64() || id.get_int64() <= 0) {
          r.fail("tablet_ids", "expected positive integers");
          break;
        }
        t.tablet_ids.push_back(id.get_int64());
      }
  }
  if (!error.empty()) return;
  if (t.id <= 0) r.fail("id", "must be a positive integer");
  else if (t.buckets < 1) r.fail("buckets", "must be at least 1");
  else if (t.replication_num < 1) r.fail("replication_num", "must be at least 1");
  else if (t.initial_loads < 0) r.fail("initial_loads", "must not be negative");
  else if (t.merge_on_write && t.keys != keys_type::unique_keys)
    r.fail("merge_on_write", "only UNIQUE_KEYS tables can be merge-on-write");
  if (t.name.empty())
    t.name = "table_" + std::to_string(t.id);
}

void read_workload(const json::object& o, const std::string& path, doris_workload_config& w, std::string& error) {
  reader r{o, path, error};
  r.field("table", w.table);
  r.field("loads_per_second", w.loads_per_second);
  r.field("rows_per_load", w.rows_per_load);
  r.field("bytes_per_row", w.bytes_per_row);
  r.field("segments", w.segments);
  r.field("superseding_ratio", w.superseding_ratio);
  r.field("delete_every", w.delete_every);
  r.field("interval_jitter", w.interval_jitter);
  r.field("size_jitter", w.size_jitter);
  if (!error.empty()) return;
  if (w.loads_per_second < 0) r.fail("loads_per_second", "must not be negative");
  else if (w.rows_per_load < 0) r.fail("rows_per_load", "must not be negative");
  else if (w.bytes_per_row < 1) r.fail("bytes_per_row", "must be at least 1");
  else if (w.superseding_ratio < 0 || w.superseding_ratio > 1) r.fail("superseding_ratio", "must be within [0, 1]");
  else if (w.delete_every < 0) r.fail("delete_every", "must not be negative");
  else if (w.interval_jitter < 0 || w.interval_jitter > 0.9) r.fail("interval_jitter", "must be within [0, 0.9]");
  else if (w.size_jitter < 0 || w.size_jitter > 0.9) r.fail("size_jitter", "must be within [0, 0.9]");
}

template <class T, class Fn>
void read_list(const json::object& parent, std::string_view key, const std::string& path, std::vector<T>& out,
               std::string& error, Fn read_one) {
  auto* v = parent.if_contains(key);
  if (v == nullptr || !error.empty()) return;
  auto list_path = path + "." + std::string{key};
  if (!v->is_array()) {
    error = list_path + ": expected an array";
    return;
  }
  out.clear();
  for (std::size_t i = 0; i < v->get_array().size() && error.empty(); ++i) {
    auto item_path = list_path + "[" + std::to_string(i) + "]";
    auto* obj = as_object(&v->get_array()[i], item_path, error);
    if (obj == nullptr) return;
    T item;
    read_one(*obj, item_path, item, error);
    out.push_back(std::move(item));
  }
}

void read_doris(const json::object& o, doris_config& d, std::string& error) {
  reader r{o, "doris", error};
  std::string profile = to_string(d.profile);
  r.field("api_profile", profile);
  if (profile == "docs") d.profile = api_profile::docs;
  else if (profile == "2.1") d.profile = api_profile::v2_1;
  else if (profile == "3.0") d.profile = api_profile::v3_0;
  else r.fail("api_profile", "expected \"docs\", \"2.1\" or \"3.0\"");
  r.field("backends", d.backends);
  r.field("disks_per_backend", d.disks_per_backend);
  r.field("first_backend_id", d.first_backend_id);
  r.field("first_tablet_id", d.first_tablet_id);
  if (error.empty() && (d.backends < 1 || d.backends > 10000)) r.fail("backends", "must be within [1, 10000]");
  if (error.empty() && d.disks_per_backend < 1) r.fail("disks_per_backend", "must be at least 1");
  if (auto* k = as_object(o.if_contains("knobs"), "doris.knobs", error))
    read_knobs(*k, "doris.knobs", d.knobs, error);
  // A config that lists its own tables starts from no workloads: the
  // default ones name the default tables.
  if (o.contains("tables"))
    d.workloads.clear();
  read_list(o, "tables", "doris", d.tables, error, read_table);
  read_list(o, "workloads", "doris", d.workloads, error, read_workload);
}

/// An ISO value read through `parse`, failing with `what` when it does not parse.
template <class T, class Parse>
void iso_field(reader& r, const json::object& o, std::string_view key, std::optional<T>& out, Parse parse,
               std::string_view what) {
  std::string text;
  if (!o.contains(key))
    return;
  r.field(key, text);
  if (auto v = parse(text))
    out = *v;
  else
    r.fail(key, "expected " + std::string{what});
}

void granularity_field(reader& r, const json::object& o, std::string_view key, druid::granularity& out) {
  std::optional<druid::granularity> g;
  iso_field(r, o, key, g, [](const std::string& s) { return druid::parse_granularity(s); },
            "a Druid granularity (HOUR, DAY, ...)");
  if (g)
    out = *g;
}

void string_list(reader& r, const json::object& o, std::string_view key, std::vector<std::string>& out) {
  auto* v = o.if_contains(key);
  if (v == nullptr)
    return;
  if (!v->is_array()) {
    r.fail(key, "expected an array of strings");
    return;
  }
  out.clear();
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) {
      r.fail(key, "expected an array of strings");
      return;
    }
    out.emplace_back(item.get_string());
  }
}

void read_druid_datasource(const json::object& o, const std::string& path, druid_datasource_config& d,
                           std::string& error) {
  reader r{o, path, error};
  r.field("name", d.name);
  granularity_field(r, o, "granularity", d.granularity);
  iso_field(r, o, "interval", d.span, [](const std::string& s) { return druid::parse_interval(s); },
            "an ISO-8601 interval");
  iso_field(r, o, "recent", d.recent, [](const std::string& s) { return druid::parse_period(s); },
            "an ISO-8601 period");
  r.field("partitions", d.partitions);
  r.field("rows_per_segment", d.rows_per_segment);
  r.field("bytes_per_segment", d.bytes_per_segment);
  string_list(r, o, "dimensions", d.dimensions);
  string_list(r, o, "metrics", d.metrics);
  granularity_field(r, o, "query_granularity", d.query_granularity);
  r.field("rollup", d.rollup);
  if (auto* c = as_object(o.if_contains("cardinality"), path + ".cardinality", error))
    for (const auto& [dim, n] : *c) {
      if (!n.is_int64() || n.get_int64() < 1) {
        r.fail("cardinality", "expected positive integers");
        break;
      }
      d.cardinality[std::string{dim}] = n.get_int64();
    }
  if (!error.empty()) return;
  if (d.name.empty()) r.fail("name", "must not be empty");
  else if (d.span.has_value() == d.recent.has_value()) r.fail("interval", "give exactly one of interval and recent");
  else if (d.partitions < 1 || d.partitions > 10'000) r.fail("partitions", "must be in [1, 10000]");
  else if (d.rows_per_segment < 0 || d.rows_per_segment > 1'000'000'000'000) r.fail("rows_per_segment", "must be in [0, 1e12]");
  else if (d.bytes_per_segment < 0 || d.bytes_per_segment > 1'000'000'000'000'000) r.fail("bytes_per_segment", "must be in [0, 1e15]");
}

void read_druid_workload(const json::object& o, const std::string& path, druid_workload_config& w, std::string& error) {
  reader r{o, path, error};
  r.field("datasource", w.datasource);
  granularity_field(r, o, "granularity", w.granularity);
  r.field("segments_per_minute", w.segments_per_minute);
  r.field("rows_per_segment", w.rows_per_segment);
  r.field("bytes_per_segment", w.bytes_per_segment);
  if (!error.empty()) return;
  if (w.datasource.empty()) r.fail("datasource", "must not be empty");
  else if (!(w.segments_per_minute >= 0 && w.segments_per_minute <= 1'000))
    r.fail("segments_per_minute", "must be in [0, 1000]");
  else if (!(w.rows_per_segment >= 0 && w.rows_per_segment <= 1e12))
    r.fail("rows_per_segment", "must be in [0, 1e12]");
  else if (!(w.bytes_per_segment >= 0 && w.bytes_per_segment <= 1e15))
    r.fail("bytes_per_segment", "must be in [0, 1e15]");
}

void read_druid_worker(const json::object& o, const std::string& path, druid_worker_config& w, std::string& error) {
  reader r{o, path, error};
  r.field("host", w.host);
  r.field("capacity", w.capacity);
  if (error.empty() && w.capacity < 0) r.fail("capacity", "must not be negative");
  if (error.empty() && w.host.empty()) r.fail("host", "must not be empty");
}

void read_druid(const json::object& o, druid_cluster_config& d, std::string& error) {
  reader r{o, "druid", error};
  r.field("enabled", d.enabled);
  int version = druid_version_min;
  r.field("version", version);
  if (o.contains("version") && error.empty())
    d.version = version;
  if (error.empty() && (version < druid_version_min || version > druid_version_max))
    r.fail("version", "must be 30 or 31 (the Druid release whose API the router speaks)");
  r.field("compaction_supervisors", d.knobs.compaction_supervisors);
  if (error.empty() && d.knobs.compaction_supervisors && version < 31)
    r.fail("compaction_supervisors", "needs druid.version 31 (Druid 30 has no compaction supervisors)");
  if (auto* k = as_object(o.if_contains("knobs"), "druid.knobs", error)) {
    reader kr{*k, "druid.knobs", error};
    std::optional<druid::period> period, delay;
    auto parse = [](const std::string& s) { return druid::parse_period(s); };
    iso_field(kr, *k, "indexing_period", period, parse, "an ISO-8601 period such as PT1800S");
    iso_field(kr, *k, "start_delay", delay, parse, "an ISO-8601 period such as PT300S");
    if (period && period->fixed_millis() && *period->fixed_millis() > 0) d.knobs.indexing_period_ms = *period->fixed_millis();
    else if (period) kr.fail("indexing_period", "must be a positive fixed period");
    if (delay && delay->fixed_millis() && *delay->fixed_millis() >= 0) d.knobs.start_delay_ms = *delay->fixed_millis();
    else if (delay) kr.fail("start_delay", "must be a fixed period");
    kr.field("task_bytes_per_sec", d.knobs.task_bytes_per_sec);
    kr.field("task_startup_ms", d.knobs.task_startup_ms);
    if (error.empty() && d.knobs.task_bytes_per_sec < 1) kr.fail("task_bytes_per_sec", "must be positive");
  }
  // Listing datasources starts from no workloads: the defaults name the default datasources.
  if (o.contains("datasources"))
    d.workloads.clear();
  read_list(o, "workers", "druid", d.workers, error, read_druid_worker);
  read_list(o, "datasources", "druid", d.datasources, error, read_druid_datasource);
  read_list(o, "workloads", "druid", d.workloads, error, read_druid_workload);
}

} // namespace

std::optional<cluster_config> parse_cluster_config(const json::value& v, std::string& error) {
  error.clear();
  if (!v.is_object()) {
    error = "the cluster config must be a JSON object";
    return std::nullopt;
  }
  cluster_config cfg = default_cluster();
  const auto& o = v.get_object();
  reader r{o, "", error};
  r.field("seed", cfg.seed);
  r.field("epoch_ms", cfg.epoch_ms);
  // Simulated time must stay far from int64's end (timers add to it).
  if (error.empty() && (cfg.epoch_ms < 0 || cfg.epoch_ms > 4'102'444'800'000))
    error = "epoch_ms: must be within [0, 4102444800000] (1970 to 2100)";
  if (auto* d = as_object(o.if_contains("doris"), "doris", error))
    read_doris(*d, cfg.doris, error);
  if (auto* d = as_object(o.if_contains("druid"), "druid", error); d && error.empty())
    read_druid(*d, cfg.druid, error);
  if (!error.empty())
    return std::nullopt;
  return cfg;
}

} // namespace compactsim::config
