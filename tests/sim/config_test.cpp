//! sim/cluster_config: the default cluster of the seed documents and the JSON
//! parser's checks, each failure naming its field.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>
#include <string>

#include <boost/json/parse.hpp>

#include "tests/sim/print.hpp"
#include "config/cluster_reader.hpp"
#include "sim/doris/bootstrap.hpp"
#include "sim/doris/catalog.hpp"
#include "sim/cluster_config.hpp"

namespace sim = compactsim::sim;
namespace config = compactsim::config;
namespace json = boost::json;

namespace {

const sim::doris_table_config* find_table(const sim::cluster_config& cfg, std::int64_t id) {
  for (const auto& t : cfg.doris.tables)
    if (t.id == id)
      return &t;
  return nullptr;
}

/// Parses `text`, expecting failure; returns the error.
std::string parse_error(const std::string& text) {
  std::string error;
  auto cfg = config::parse_cluster_config(json::parse(text), error);
  BOOST_TEST(!cfg.has_value(), text);
  BOOST_TEST(!error.empty(), text);
  return error;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(sim_config)

BOOST_AUTO_TEST_CASE(default_cluster_has_three_backends_and_the_seed_mow_table) {
  auto cfg = sim::default_cluster();
  BOOST_TEST(cfg.doris.backends == 3);
  const auto* mow = find_table(cfg, 10104);
  BOOST_TEST_REQUIRE(mow != nullptr);
  BOOST_TEST((mow->keys == sim::keys_type::unique_keys));
  BOOST_TEST(mow->merge_on_write);
  const auto& ids = mow->tablet_ids;
  BOOST_TEST((std::find(ids.begin(), ids.end(), 10015) != ids.end()));
  BOOST_TEST((std::find(ids.begin(), ids.end(), 11308) != ids.end()));
  // The knobs are Doris 2.1's defaults.
  BOOST_TEST(cfg.doris.knobs.compaction_task_num_per_disk == 4);
  BOOST_TEST(cfg.doris.knobs.max_tablet_version_num == 2000);
  BOOST_TEST(cfg.doris.knobs.cumulative_compaction_min_deltas == 5);
}

BOOST_AUTO_TEST_CASE(default_cluster_places_seed_tablets_on_every_backend) {
  auto cfg = sim::default_cluster();
  std::string error;
  auto cat = sim::build_catalog(cfg.doris, error);
  BOOST_TEST_REQUIRE(cat.has_value(), error);
  BOOST_TEST(cat->backend_ids.size() == 3u);
  auto tablets = cat->tablets_of(10104);
  BOOST_TEST(tablets.size() == 8u);
  int seen = 0;
  for (const auto* p : tablets)
    if (p->tablet_id == 10015 || p->tablet_id == 11308) {
      ++seen;
      BOOST_TEST(p->backends.size() == 3u);
    }
  BOOST_TEST(seen == 2);
  // Bootstrap publishes the initial loads: 20 versions after [0-1].
  auto backends = sim::build_backends(cfg.doris, cfg.seed, *cat, cfg.epoch_ms);
  BOOST_TEST_REQUIRE(backends.size() == 3u);
  for (const auto& be : backends) {
    const auto* r = be.find(10015);
    BOOST_TEST_REQUIRE(r != nullptr);
    BOOST_TEST(r->merge_on_write);
    BOOST_TEST(sim::max_version(*r) == 21);
    BOOST_TEST(sim::versions_contiguous(*r));
  }
}

BOOST_AUTO_TEST_CASE(empty_object_is_the_default_cluster) {
  std::string error;
  auto cfg = config::parse_cluster_config(json::parse("{}"), error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(error.empty());
  BOOST_TEST(cfg->doris.backends == 3);
  BOOST_TEST(cfg->doris.tables.size() == sim::default_cluster().doris.tables.size());
}

BOOST_AUTO_TEST_CASE(small_valid_config_is_parsed) {
  std::string error;
  auto cfg = config::parse_cluster_config(json::parse(R"({
    "seed": 7,
    "epoch_ms": 1000,
    "doris": {
      "api_profile": "2.1",
      "backends": 2,
      "disks_per_backend": 2,
      "knobs": {"compaction_task_num_per_disk": 3, "max_tablet_version_num": 500,
                "compaction_promotion_ratio": 0.1, "disable_auto_compaction": true},
      "tables": [{"id": 5, "name": "t", "keys_type": "UNIQUE_KEYS", "merge_on_write": true,
                  "buckets": 2, "replication_num": 2, "tablet_ids": [900], "initial_loads": 3}],
      "workloads": [{"table": 5, "loads_per_second": 2, "rows_per_load": 100, "segments": 3,
                     "superseding_ratio": 0.5}]
    }
  })"),
                                       error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(cfg->seed == 7u);
  BOOST_TEST(cfg->epoch_ms == 1000);
  BOOST_TEST((cfg->doris.profile == sim::api_profile::v2_1));
  BOOST_TEST(cfg->doris.backends == 2);
  BOOST_TEST(cfg->doris.disks_per_backend == 2);
  BOOST_TEST(cfg->doris.knobs.compaction_task_num_per_disk == 3);
  BOOST_TEST(cfg->doris.knobs.max_tablet_version_num == 500);
  BOOST_TEST(cfg->doris.knobs.compaction_promotion_ratio == 0.1);
  BOOST_TEST(cfg->doris.knobs.disable_auto_compaction);
  BOOST_TEST(cfg->doris.knobs.cumulative_compaction_min_deltas == 5); // untouched default
  BOOST_TEST_REQUIRE(cfg->doris.tables.size() == 1u); // its own tables replace the defaults
  const auto& t = cfg->doris.tables[0];
  BOOST_TEST(t.id == 5);
  BOOST_TEST(t.name == "t");
  BOOST_TEST((t.keys == sim::keys_type::unique_keys));
  BOOST_TEST(t.merge_on_write);
  BOOST_TEST(t.buckets == 2);
  BOOST_TEST(t.replication_num == 2);
  BOOST_TEST_REQUIRE(t.tablet_ids.size() == 1u);
  BOOST_TEST(t.tablet_ids[0] == 900);
  BOOST_TEST(t.initial_loads == 3);
  BOOST_TEST_REQUIRE(cfg->doris.workloads.size() == 1u);
  BOOST_TEST(cfg->doris.workloads[0].table == 5);
  BOOST_TEST(cfg->doris.workloads[0].segments == 3u);
  BOOST_TEST(cfg->doris.workloads[0].superseding_ratio == 0.5);
}

BOOST_AUTO_TEST_CASE(tables_without_workloads_drop_the_default_workloads) {
  std::string error;
  auto cfg = config::parse_cluster_config(json::parse(R"({"doris": {"tables": [{"id": 1}]}})"), error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(cfg->doris.workloads.empty());
  BOOST_TEST_REQUIRE(cfg->doris.tables.size() == 1u);
  BOOST_TEST(cfg->doris.tables[0].name == "table_1");
  BOOST_TEST((cfg->doris.tables[0].keys == sim::keys_type::dup_keys));
}

BOOST_AUTO_TEST_CASE(non_object_documents_are_rejected) {
  BOOST_TEST(parse_error("[]") == "the cluster config must be a JSON object");
  BOOST_TEST(parse_error("42") == "the cluster config must be a JSON object");
  BOOST_TEST(parse_error(R"({"doris": 3})") == "doris: expected an object");
  BOOST_TEST(parse_error(R"({"doris": {"knobs": []}})") == "doris.knobs: expected an object");
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_field) {
  BOOST_TEST(parse_error(R"({"seed": "x"})") == "seed: expected an integer in range");
  BOOST_TEST(parse_error(R"({"seed": -1})") == "seed: expected an integer in range");
  BOOST_TEST(parse_error(R"({"doris": {"backends": "3"}})") == "doris.backends: expected an integer in range");
  BOOST_TEST(parse_error(R"({"doris": {"backends": 2.5}})") == "doris.backends: expected an integer in range");
  BOOST_TEST(parse_error(R"({"doris": {"disks_per_backend": -1}})") ==
             "doris.disks_per_backend: expected an integer in range");
  BOOST_TEST(parse_error(R"({"doris": {"knobs": {"disable_auto_compaction": 1}}})") ==
             "doris.knobs.disable_auto_compaction: expected a boolean");
  BOOST_TEST(parse_error(R"({"doris": {"knobs": {"compaction_promotion_ratio": "0.1"}}})") ==
             "doris.knobs.compaction_promotion_ratio: expected a number");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "name": 5}]}})") ==
             "doris.tables[0].name: expected a string");
}

BOOST_AUTO_TEST_CASE(out_of_range_values_name_the_field) {
  BOOST_TEST(contains(parse_error(R"({"doris": {"backends": 0}})"), "doris.backends: must be within"));
  BOOST_TEST(contains(parse_error(R"({"doris": {"api_profile": "4.0"}})"), "doris.api_profile"));
  BOOST_TEST(parse_error(R"({"doris": {"knobs": {"compaction_task_num_per_disk": 1}}})") ==
             "doris.knobs.compaction_task_num_per_disk: must be within [2, 64]");
  BOOST_TEST(parse_error(R"({"doris": {"knobs": {"generate_compaction_tasks_interval_ms": 0}}})") ==
             "doris.knobs.generate_compaction_tasks_interval_ms: must be within [1, 3600000]");
  // The SIGFPE of issue 13: a zero segment size is refused, not divided by.
  BOOST_TEST(parse_error(R"({"doris": {"knobs": {"segment_size_bytes": 0}}})") ==
             "doris.knobs.segment_size_bytes: must be within [1, 1099511627776]");
}

// Every numeric knob at its bounds validates; just past them it is refused
// with a message naming it. The bounds are read back from the refusal of a
// far-out value, so a knob added without a range fails here.
BOOST_AUTO_TEST_CASE(every_knob_validates_at_its_bounds_and_is_refused_past_them) {
  const char* knobs[] = {
    "compaction_task_num_per_disk", "max_base_compaction_threads",
    "cumulative_compaction_rounds_for_each_base_compaction_round", "generate_compaction_tasks_interval_ms",
    "producer_idle_sleep_ms", "cumulative_compaction_min_deltas", "cumulative_compaction_max_deltas",
    "compaction_promotion_size_mbytes", "compaction_promotion_ratio", "compaction_promotion_min_size_mbytes",
    "compaction_promotion_version_count", "compaction_min_size_mbytes", "base_compaction_min_rowset_num",
    "base_compaction_min_data_ratio", "base_compaction_max_compaction_score",
    "base_compaction_interval_seconds_since_last_operation", "min_compaction_failure_interval_ms",
    "skip_tablet_compaction_second", "max_tablet_version_num", "tablet_rowset_stale_sweep_time_sec",
    "pick_rowset_to_compact_interval_sec", "disk_throughput_bytes_per_sec", "compaction_fixed_cost_ms",
    "segment_size_bytes", "manual_compaction_wait_ms"};
  for (const char* name : knobs) {
    BOOST_TEST_CONTEXT(name) {
      auto with = [name](const std::string& v) {
        return std::string{R"({"doris": {"knobs": {")"} + name + "\": " + v + "}}}";
      };
      bool integral = std::string{name} != "compaction_promotion_ratio" && std::string{name} != "base_compaction_min_data_ratio";
      auto refusal = parse_error(with(integral ? "-2000000000" : "-1e300"));
      BOOST_REQUIRE(contains(refusal, std::string{"doris.knobs."} + name + ": must be within ["));
      auto range = refusal.substr(refusal.find('[') + 1);
      auto lo = std::stod(range.substr(0, range.find(',')));
      auto hi = std::stod(range.substr(range.find(',') + 2));
      auto text = [](double v) {
        std::ostringstream out;
        out.precision(17);
        out << v;
        return out.str();
      };
      auto step = integral ? 1.0 : 1e-3;
      std::string error;
      BOOST_TEST(config::parse_cluster_config(json::parse(with(text(lo))), error).has_value(), error);
      BOOST_TEST(config::parse_cluster_config(json::parse(with(text(hi))), error).has_value(), error);
      BOOST_TEST(contains(parse_error(with(text(lo - step))), std::string{name} + ": must be within"));
      BOOST_TEST(contains(parse_error(with(text(hi + step))), std::string{name} + ": must be within"));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_tables_name_the_field) {
  BOOST_TEST(parse_error(R"({"doris": {"tables": {}}})") == "doris.tables: expected an array");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [1]}})") == "doris.tables[0]: expected an object");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1}, {"id": 2, "buckets": -1}]}})") ==
             "doris.tables[1].buckets: must be at least 1");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 0}]}})") == "doris.tables[0].id: must be a positive integer");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "replication_num": 0}]}})") ==
             "doris.tables[0].replication_num: must be at least 1");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "initial_loads": -2}]}})") ==
             "doris.tables[0].initial_loads: must not be negative");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "keys_type": "PRIMARY_KEYS"}]}})") ==
             "doris.tables[0].keys_type: expected DUP_KEYS, AGG_KEYS or UNIQUE_KEYS");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "keys_type": 3}]}})") ==
             "doris.tables[0].keys_type: expected a string");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "keys_type": "DUP_KEYS", "merge_on_write": true}]}})") ==
             "doris.tables[0].merge_on_write: only UNIQUE_KEYS tables can be merge-on-write");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "tablet_ids": 5}]}})") ==
             "doris.tables[0].tablet_ids: expected an array of integers");
  BOOST_TEST(parse_error(R"({"doris": {"tables": [{"id": 1, "tablet_ids": [3, -4]}]}})") ==
             "doris.tables[0].tablet_ids: expected positive integers");
}

BOOST_AUTO_TEST_CASE(bad_workloads_name_the_field) {
  BOOST_TEST(parse_error(R"({"doris": {"workloads": [{"table": 10104, "superseding_ratio": 1.5}]}})") ==
             "doris.workloads[0].superseding_ratio: must be within [0, 1]");
  BOOST_TEST(parse_error(R"({"doris": {"workloads": [{"table": 10104, "bytes_per_row": 0}]}})") ==
             "doris.workloads[0].bytes_per_row: must be at least 1");
  BOOST_TEST(parse_error(R"({"doris": {"workloads": [{"table": 10104, "loads_per_second": -1}]}})") ==
             "doris.workloads[0].loads_per_second: must not be negative");
  BOOST_TEST(parse_error(R"({"doris": {"workloads": [{"table": "x"}]}})") ==
             "doris.workloads[0].table: expected an integer in range");
}

BOOST_AUTO_TEST_CASE(catalog_rejects_unplaceable_configs) {
  std::string error;
  auto cfg = config::parse_cluster_config(
      json::parse(R"({"doris": {"backends": 2, "tables": [{"id": 1, "replication_num": 3}]}})"), error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(!sim::build_catalog(cfg->doris, error).has_value());
  BOOST_TEST(contains(error, "table 1 wants 3 replicas"));
  cfg = config::parse_cluster_config(
      json::parse(R"({"doris": {"tables": [{"id": 1, "buckets": 1, "tablet_ids": [5, 6]}]}})"), error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(!sim::build_catalog(cfg->doris, error).has_value());
  BOOST_TEST(contains(error, "lists more tablet_ids than buckets"));
}

BOOST_AUTO_TEST_CASE(the_druid_section_reads_datasources_workers_and_knobs) {
  std::string error;
  auto cfg = config::parse_cluster_config(json::parse(R"({"druid": {
    "knobs": {"indexing_period": "PT60S", "start_delay": "PT10S", "task_bytes_per_sec": 1000},
    "workers": [{"host": "mm-1:8091", "capacity": 3}],
    "datasources": [{"name": "clicks", "granularity": "hour", "recent": "P7D", "partitions": 2,
                     "cardinality": {"country": 200}},
                    {"name": "archive", "granularity": "DAY", "interval": "2019-01-01/2020-01-01"}],
    "workloads": [{"datasource": "clicks", "segments_per_minute": 2}]}})"), error);
  BOOST_TEST_REQUIRE(cfg.has_value(), error);
  BOOST_TEST(cfg->druid.knobs.indexing_period_ms == 60'000);
  BOOST_TEST(cfg->druid.knobs.start_delay_ms == 10'000);
  BOOST_TEST(cfg->druid.workers.size() == 1u);
  BOOST_TEST(cfg->druid.datasources.size() == 2u);
  BOOST_TEST(cfg->druid.datasources[0].cardinality.at("country") == 200);
  BOOST_TEST(cfg->druid.workloads.size() == 1u);
  BOOST_TEST(cfg->druid.datasources[1].span->duration() == 365LL * 86'400'000);

  auto defaults = sim::default_cluster();
  BOOST_TEST(defaults.druid.enabled);
  BOOST_TEST(defaults.druid.workers.size() == 2u);
  BOOST_TEST(defaults.druid.datasources.size() == 3u);

  BOOST_TEST(parse_error(R"({"druid": {"datasources": [{"name": "x", "granularity": "fortnight", "recent": "P1D"}]}})") ==
             "druid.datasources[0].granularity: expected a Druid granularity (HOUR, DAY, ...)");
  BOOST_TEST(parse_error(R"({"druid": {"datasources": [{"name": "x"}]}})") ==
             "druid.datasources[0].interval: give exactly one of interval and recent");
  BOOST_TEST(parse_error(R"({"druid": {"datasources": [{"name": "x", "interval": "2020-01-01"}]}})") ==
             "druid.datasources[0].interval: expected an ISO-8601 interval");
  BOOST_TEST(parse_error(R"({"druid": {"knobs": {"indexing_period": "P1M"}}})") ==
             "druid.knobs.indexing_period: must be a positive fixed period");
  BOOST_TEST(parse_error(R"({"druid": {"workers": [{"host": "", "capacity": 1}]}})") ==
             "druid.workers[0].host: must not be empty");
  // The Druid release the router speaks: unset is 30, and only 30 and 31 exist here.
  BOOST_TEST(!defaults.druid.version.has_value());
  BOOST_TEST(defaults.druid.api_version() == 30);
  auto v31 = config::parse_cluster_config(json::parse(R"({"druid": {"version": 31}})"), error);
  BOOST_REQUIRE(v31);
  BOOST_TEST(v31->druid.api_version() == 31);
  BOOST_TEST(parse_error(R"({"druid": {"version": 29}})") ==
             "druid.version: must be 30 or 31 (the Druid release whose API the router speaks)");
  BOOST_TEST(parse_error(R"({"druid": {"version": 32}})") ==
             "druid.version: must be 30 or 31 (the Druid release whose API the router speaks)");
}

BOOST_AUTO_TEST_CASE(derived_schema_hash_is_stable_and_nonzero) {
  BOOST_TEST(sim::derive_schema_hash(10104) == sim::derive_schema_hash(10104));
  BOOST_TEST(sim::derive_schema_hash(10104) != 0u);
  BOOST_TEST(sim::derive_schema_hash(10104) != sim::derive_schema_hash(10200));
  BOOST_TEST(sim::derive_schema_hash(10104) <= 0x7fffffffu);
}

// A load's rows vary with the seed within size_jitter, and every node that
// asks for the same (seed, table, version) gets the same load: a publish
// retried or a BE catching up applies what the others did.
BOOST_AUTO_TEST_CASE(load_sizes_vary_with_the_seed_and_repeat_for_the_same_version) {
  auto cfg = compactsim::sim::default_cluster();
  const auto& d = cfg.doris;
  const auto& w = d.workloads.at(0);
  BOOST_TEST(w.size_jitter > 0);
  std::set<std::int64_t> sizes;
  for (std::int64_t v = 2; v < 50; ++v) {
    auto a = compactsim::sim::load_for(d, w.table, v, 1, 7);
    auto b = compactsim::sim::load_for(d, w.table, v, 1, 7);
    BOOST_TEST(a.rows == b.rows);
    BOOST_TEST(a.rows >= static_cast<std::int64_t>(w.rows_per_load * (1 - w.size_jitter)) - 1);
    BOOST_TEST(a.rows <= static_cast<std::int64_t>(w.rows_per_load * (1 + w.size_jitter)) + 1);
    sizes.insert(a.rows);
  }
  BOOST_TEST(sizes.size() > 40u);
  int differ = 0;
  for (std::int64_t v = 2; v < 50; ++v)
    differ += compactsim::sim::load_for(d, w.table, v, 1, 7).rows != compactsim::sim::load_for(d, w.table, v, 1, 8).rows;
  BOOST_TEST(differ > 40);
  auto steady = d;
  steady.workloads.at(0).size_jitter = 0;
  BOOST_TEST(compactsim::sim::load_for(steady, w.table, 9, 4, 7).rows == w.rows_per_load / 4);
}

BOOST_AUTO_TEST_SUITE_END()
