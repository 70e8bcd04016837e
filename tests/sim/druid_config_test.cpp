//! sim/druid_config: Druid 30's compaction configs, defaults, validation,
//! audit history and the HashMap order its lists come out in.

#include <boost/test/unit_test.hpp>

#include "tests/sim/print.hpp"

#include <boost/json.hpp>

#include "sim/druid/config.hpp"

namespace druid = compactsim::sim::druid;
namespace json = boost::json;

namespace {

druid::datasource_config parse_ok(const char* text) {
  std::string error;
  auto c = druid::parse_datasource_config(json::parse(text), error);
  BOOST_REQUIRE_MESSAGE(c, error);
  return *c;
}

std::string parse_error(const char* text) {
  std::string error;
  auto c = druid::parse_datasource_config(json::parse(text), error);
  BOOST_TEST(!c.has_value(), text);
  return error;
}

const druid::audit_info nobody{"", "", "127.0.0.1"};

} // namespace

BOOST_AUTO_TEST_SUITE(sim_druid_config)

BOOST_AUTO_TEST_CASE(the_seed_post_stores_the_seed_get_shape) {
  auto c = parse_ok(R"({"dataSource": "wikipedia_hour", "skipOffsetFromLatest": "PT0S",
    "tuningConfig": {"partitionsSpec": {"type": "dynamic"}, "type": "index_parallel"},
    "granularitySpec": {"segmentGranularity": "DAY"}})");
  // The seed's GET /config/compaction/wikipedia_hour sample, field for field.
  auto expected = json::parse(R"({"dataSource":"wikipedia_hour","taskPriority":25,"inputSegmentSizeBytes":100000000000000,
    "maxRowsPerSegment":null,"skipOffsetFromLatest":"PT0S","tuningConfig":{"maxRowsInMemory":null,"appendableIndexSpec":null,
    "maxBytesInMemory":null,"maxTotalRows":null,"splitHintSpec":null,"partitionsSpec":{"type":"dynamic",
    "maxRowsPerSegment":5000000,"maxTotalRows":null},"indexSpec":null,"indexSpecForIntermediatePersists":null,
    "maxPendingPersists":null,"pushTimeout":null,"segmentWriteOutMediumFactory":null,"maxNumConcurrentSubTasks":null,
    "maxRetry":null,"taskStatusCheckPeriodMs":null,"chatHandlerTimeout":null,"chatHandlerNumRetries":null,
    "maxNumSegmentsToMerge":null,"totalNumMergeTasks":null,"maxColumnsToMerge":null,"type":"index_parallel",
    "forceGuaranteedRollup":false},"granularitySpec":{"segmentGranularity":"DAY","queryGranularity":null,"rollup":null},
    "dimensionsSpec":null,"metricsSpec":null,"transformSpec":null,"ioConfig":null,"taskContext":null})");
  BOOST_TEST(json::serialize(c.to_json()) == json::serialize(expected));
}

BOOST_AUTO_TEST_CASE(only_the_datasource_is_required_and_unknown_fields_are_ignored) {
  auto c = parse_ok(R"({"dataSource": "wiki", "someFutureField": [1, 2]})");
  auto o = c.to_json();
  BOOST_TEST(o.at("taskPriority").as_int64() == 25);
  BOOST_TEST(o.at("skipOffsetFromLatest").as_string() == "P1D");
  BOOST_TEST(o.at("tuningConfig").is_null());
  BOOST_TEST(o.at("granularitySpec").is_null());
  BOOST_TEST(!o.contains("someFutureField"));
  // Jackson coerces numeric strings; Druid validates nothing else.
  BOOST_TEST(parse_ok(R"({"dataSource": "w", "taskPriority": "-3"})").task_priority == -3);
}

BOOST_AUTO_TEST_CASE(bad_configs_fail_with_jacksons_messages) {
  BOOST_TEST(parse_error(R"({"taskPriority": 1})").find("problem: dataSource") != std::string::npos);
  auto type = parse_error(R"({"dataSource": "w", "taskPriority": "abc"})");
  BOOST_TEST(type.find("Cannot deserialize value of type `java.lang.Integer` from String \"abc\"") != std::string::npos);
  BOOST_TEST(type.find("[\"taskPriority\"]") != std::string::npos);
  BOOST_TEST(parse_error(R"({"dataSource": "w", "skipOffsetFromLatest": "P1X"})").find("Invalid format: \"P1X\"") !=
             std::string::npos);
  BOOST_TEST(parse_error(R"({"dataSource": "w", "granularitySpec": {"segmentGranularity": "fortnight"}})")
                 .find("GranularityType.FORTNIGHT") != std::string::npos);
  BOOST_TEST(parse_error(R"({"dataSource": "w", "dimensionsSpec": {"dimensions": ["a", "b", "a"]}})") ==
             "Cannot specify a column more than once: [a] seen in dimensions list");
  BOOST_TEST(parse_error(R"({"dataSource": "w", "tuningConfig": {"partitionsSpec": {"type": "zigzag"}}})")
                 .find("known type ids = [dynamic, hashed, range, single_dim]") != std::string::npos);
  BOOST_TEST(!parse_error(R"([1, 2])").empty());
  // Found by fuzz_druid_routes: an integer beyond long's range (read as a
  // double) was cast to int64, undefined behaviour; Jackson reports the overflow.
  for (const char* big : {"500000100000000000000", "-1e300", "9.3e18"}) {
    auto e = parse_error((std::string{R"({"dataSource": "w", "tuningConfig": {"partitionsSpec": {"type": "dynamic", "maxRowsPerSegment": )"} +
                          big + "}}}").c_str());
    BOOST_TEST(e.rfind("Numeric value (", 0) == 0u, e);
    BOOST_TEST(e.find(") out of range of int (-2147483648 - 2147483647)") != std::string::npos, e);
  }
  BOOST_TEST(parse_error(R"({"dataSource": "w", "inputSegmentSizeBytes": 1e19})").find("out of range of long") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(parallel_tuning_occupies_sub_tasks_plus_one_slot) {
  BOOST_TEST(druid::slots_for(nullptr) == 1);
  BOOST_TEST(druid::slots_for(parse_ok(R"({"dataSource":"w","tuningConfig":{"maxNumConcurrentSubTasks":1}})").tuning_config) == 1);
  BOOST_TEST(druid::slots_for(parse_ok(R"({"dataSource":"w","tuningConfig":{"maxNumConcurrentSubTasks":2}})").tuning_config) == 3);
  BOOST_TEST(druid::slots_for(parse_ok(R"({"dataSource":"w","tuningConfig":{"maxNumConcurrentSubTasks":1,
      "partitionsSpec":{"type":"range","partitionDimensions":["a"],"targetRowsPerSegment":10}}})").tuning_config) == 2);
}

BOOST_AUTO_TEST_CASE(lists_come_out_in_java_hashmap_order_as_the_seed_samples_show) {
  // Seed samples: wikipedia_hour before wikipedia; wikipedia_api before wikipedia_hour.
  BOOST_TEST((druid::java_hash_order({"wikipedia", "wikipedia_hour"}) ==
              std::vector<std::string>{"wikipedia_hour", "wikipedia"}));
  BOOST_TEST((druid::java_hash_order({"wikipedia_hour", "wikipedia_api"}) ==
              std::vector<std::string>{"wikipedia_api", "wikipedia_hour"}));
  BOOST_TEST(druid::java_string_hash("abc") == 96354); // "abc".hashCode() in Java
  BOOST_TEST(druid::java_string_hash("wikipedia") == 1558992055);
  druid::compaction_config_store store;
  store.upsert(parse_ok(R"({"dataSource": "wikipedia"})"), nobody, 1);
  store.upsert(parse_ok(R"({"dataSource": "wikipedia_hour"})"), nobody, 2);
  auto list = store.current().to_json().at("compactionConfigs").as_array();
  BOOST_TEST(list.at(0).at("dataSource").as_string() == "wikipedia_hour");
}

BOOST_AUTO_TEST_CASE(history_records_only_changes_with_who_and_when) {
  druid::compaction_config_store store;
  druid::audit_info alice{"alice", "first", "10.0.0.1"};
  BOOST_TEST(store.upsert(parse_ok(R"({"dataSource": "w", "skipOffsetFromLatest": "P1D"})"), alice, 1000));
  BOOST_TEST(!store.upsert(parse_ok(R"({"dataSource": "w", "skipOffsetFromLatest": "P1D"})"), alice, 2000));
  BOOST_TEST(store.upsert(parse_ok(R"({"dataSource": "other"})"), alice, 3000)); // not w's change
  store.set_cluster({0.5, std::nullopt, std::nullopt, std::nullopt}, nobody, 4000);                 // global: recorded for w
  BOOST_TEST(store.upsert(parse_ok(R"({"dataSource": "w", "skipOffsetFromLatest": "PT0S"})"), nobody, 5000));
  BOOST_TEST(store.audit().size() == 4u);

  auto all = store.history("w", std::nullopt, std::nullopt, 6000);
  BOOST_TEST(all.size() == 3u); // oldest first
  BOOST_TEST(all[0].info.author == "alice");
  BOOST_TEST(all[0].info.ip == "10.0.0.1");
  BOOST_TEST(all[0].time == 1000);
  BOOST_TEST(all[1].slot_ratio == 0.5);
  BOOST_TEST(all[2].config->to_json().at("skipOffsetFromLatest").as_string() == "PT0S");

  auto last = store.history("w", std::nullopt, 1, 6000);
  BOOST_TEST(last.size() == 1u);
  BOOST_TEST(last[0].config->to_json().at("skipOffsetFromLatest").as_string() == "PT0S");
  BOOST_TEST(store.history("nobody", std::nullopt, std::nullopt, 6000).empty());
  // A window starts afresh: its first row for w counts as a change.
  auto window = store.history("w", druid::interval{2500, 4500}, std::nullopt, 6000);
  BOOST_REQUIRE(window.size() == 2u);
  BOOST_TEST(window[0].time == 3000);

  BOOST_TEST(store.remove("w", nobody, 7000));
  BOOST_TEST(!store.remove("w", nobody, 7001));
  auto after = store.history("w", std::nullopt, std::nullopt, 8000);
  BOOST_TEST(after.size() == 4u);
  BOOST_TEST(!after[3].config);
}

// UserCompactionTaskDimensionsConfig holds List<DimensionSchema>: a bare name
// comes back as a StringDimensionSchema with its defaults (DimensionSchema's
// constructor: MultiValueHandling.ofDefault(); strings keep a bitmap index,
// LongDimensionSchema passes false).
BOOST_AUTO_TEST_CASE(dimensions_come_back_as_druids_dimension_schemas) {
  auto c = parse_ok(R"({"dataSource": "w", "dimensionsSpec": {"dimensions":
                        ["a", {"type": "long", "name": "n"}, {"name": "m", "multiValueHandling": "ARRAY"},
                         {"type": "string", "name": "s", "createBitmapIndex": false}]}})");
  BOOST_TEST(json::serialize(c.to_json().at("dimensionsSpec")) ==
             R"({"dimensions":[{"type":"string","name":"a","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true},)"
             R"({"type":"long","name":"n","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":false},)"
             R"({"type":"string","name":"m","multiValueHandling":"ARRAY","createBitmapIndex":true},)"
             R"({"type":"string","name":"s","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":false}]})");
  // MultiValueHandling#fromString upper-cases; Jackson coerces "false";
  // the numeric schemas take no handling.
  auto coerced = parse_ok(R"({"dataSource": "w", "dimensionsSpec": {"dimensions":
                            [{"name": "l", "multiValueHandling": "sorted_set", "createBitmapIndex": "false"},
                             {"type": "double", "name": "d", "multiValueHandling": "ARRAY"}]}})");
  BOOST_TEST(json::serialize(coerced.to_json().at("dimensionsSpec")) ==
             R"({"dimensions":[{"type":"string","name":"l","multiValueHandling":"SORTED_SET","createBitmapIndex":false},)"
             R"({"type":"double","name":"d","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":false}]})");
  // The same dimensions written either way are one config.
  auto named = parse_ok(R"({"dataSource": "w", "dimensionsSpec": {"dimensions": ["a"]}})");
  auto full = parse_ok(R"({"dataSource": "w", "dimensionsSpec": {"dimensions": [{"type": "string", "name": "a"}]}})");
  BOOST_TEST((named == full));
  BOOST_TEST(json::serialize(druid::combining_aggregator("count")) == R"({"type":"longSum","name":"count","fieldName":"count"})");
}

BOOST_AUTO_TEST_SUITE_END()
