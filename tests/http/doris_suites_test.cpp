// Doris's own compaction regression suites (apache/doris
// regression-test/suites/compaction/ and regression-test/plugins/
// plugin_compaction.groovy), replayed over HTTP against a real
// `compactsim serve` on loopback. Each test makes the suite's BE calls in its
// order with its retry and polling rules; what the suites do in SQL through
// the FE is done as compactsim's equivalent:
//   CREATE TABLE + INSERTs      -> the cluster config (a table with initial loads)
//   later INSERT / DELETE       -> POST /sim/v1/ingest (a load, or a DELETE)
//   show tablets / show tablet  -> /tablets_json on each BE + /api/meta/header/{id}
// The suites' sleeps run ten times faster, with serve at --speed 10, so each
// waits the same simulated time as the suite does.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/json.hpp>

#include "tests/http/process.hpp"

using namespace compactsim;
namespace json = boost::json;

namespace {

constexpr int time_scale = 10;

/// Thread.sleep(ms) of a suite.
void suite_sleep(int ms) { test::sleep_ms(ms / time_scale); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// One tablet row of `show tablets`: the tablet and the BE port holding it.
struct tablet_row {
  std::int64_t tablet_id = 0;
  std::uint16_t port = 0;
};

/// `compactsim serve --config` with one suite's cluster, Druid off.
class doris_serve : public test::serve_process {
public:
  doris_serve(const std::string& tables, int backends, const std::string& profile)
    : serve_process(R"({"seed": 7, "doris": {"api_profile": ")" + profile + R"(", "backends": )" +
                      std::to_string(backends) + R"(, "tables": )" + tables +
                      R"(, "workloads": []}, "druid": {"enabled": false}})",
                    backends, time_scale) {}

  /// curl + parseJson: the answer's JSON (the exit code is 0 when it answered).
  static json::value get_json(std::uint16_t port, const std::string& method, const std::string& target) {
    auto r = test::call(port, method, target);
    BOOST_REQUIRE_MESSAGE(r.status != 0, method << " " << target << ": no answer");
    return json::parse(r.body);
  }

  /// `show tablets from T`, as each BE knows its tablets.
  std::vector<tablet_row> tablets_of(std::int64_t table) const {
    std::vector<tablet_row> out;
    for (int i = 0; i < backends(); ++i) {
      auto list = get_json(be(i), "GET", "/tablets_json?limit=all");
      for (const auto& t : list.at("data").at("tablets").as_array()) {
        auto id = t.at("tablet_id").as_int64();
        auto meta = get_json(be(i), "GET", "/api/meta/header/" + std::to_string(id));
        if (meta.at("table_id").as_int64() == table)
          out.push_back({id, be(i)});
      }
    }
    return out;
  }

  /// An INSERT (or a DELETE) through the FE, then waits for every replica of
  /// `table` to show the version, as the suites' SQL returns once visible.
  void load(std::int64_t table, bool is_delete, std::int64_t version) {
    auto body = R"({"doris": {"table": )" + std::to_string(table) + R"(, "loads": 1, "delete": )" +
                (is_delete ? "true" : "false") + "}}";
    BOOST_REQUIRE(test::call(admin(), "POST", "/sim/v1/ingest", body).status == 202u);
    for (const auto& t : tablets_of(table)) {
      auto r = test::eventually(t.port, "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id),
                                [version](auto& r) {
                                  if (r.status != 200)
                                    return false;
                                  auto rs = json::parse(r.body).at("rowsets").as_array();
                                  auto last = std::string{rs.back().as_string()};
                                  return last.find("-" + std::to_string(version) + "]") != std::string::npos;
                                });
      BOOST_REQUIRE_MESSAGE(r.status == 200, "version " << version << " never became visible");
    }
  }
};

/// The suites' show_config step: disable_auto_compaction of one BE (true
/// when the item is missing, as the suites default).
bool disable_auto_compaction(std::uint16_t port) {
  auto list = doris_serve::get_json(port, "GET", "/api/show_config");
  BOOST_REQUIRE(list.is_array());
  bool disabled = true;
  for (const auto& ele : list.as_array()) {
    BOOST_REQUIRE(ele.is_array());
    if (ele.at(0).as_string() == "disable_auto_compaction")
      disabled = ele.at(2).as_string() == "true"; // Boolean.parseBoolean
  }
  return disabled;
}

std::size_t rowset_count(const tablet_row& t) {
  auto show = doris_serve::get_json(t.port, "GET", "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id));
  BOOST_REQUIRE(show.at("rowsets").is_array());
  return show.at("rowsets").as_array().size();
}

/// do { sleep(1000); GET run_status; assert "success" } while (run_status)
void wait_until_not_running(const tablet_row& t) {
  for (int polls = 0;; ++polls) {
    BOOST_REQUIRE_MESSAGE(polls < 600, "tablet " << t.tablet_id << " never stopped running");
    suite_sleep(1000);
    auto st = doris_serve::get_json(t.port, "GET", "/api/compaction/run_status?tablet_id=" + std::to_string(t.tablet_id));
    BOOST_REQUIRE_EQUAL(lower(std::string{st.at("status").as_string()}), "success");
    if (!st.at("run_status").as_bool())
      return;
  }
}

/// do { POST run ...&compact_type=full; sleep(2000) } while (!success && times <= 10),
/// then the suites' checks against the BE's disable_auto_compaction.
void run_full_with_retries(const tablet_row& t, const std::string& id_param, bool disabled) {
  std::string status;
  int times = 1;
  do {
    auto run = doris_serve::get_json(t.port, "POST", "/api/compaction/run?" + id_param + "&compact_type=full");
    status = lower(std::string{run.at("status").as_string()});
    ++times;
    suite_sleep(2000);
  } while (status != "success" && times <= 10);
  if (status == "fail")
    BOOST_TEST(!disabled);
  if (disabled)
    BOOST_TEST(status == "success");
}

/// plugin_compaction.groovy's trigger_and_wait_compaction (upstream): every
/// tablet is triggered (success or already_exist, nothing else while auto
/// compaction is off), then polled every second for up to 300 s until it is
/// not running and its "last <type> success time" changed.
void trigger_and_wait_compaction(const doris_serve& c, std::int64_t table, const std::string& type,
                                 bool auto_compaction_disabled, int timeout_seconds = 300) {
  auto tablets = c.tablets_of(table);
  auto key = "last " + type + " success time";
  std::vector<std::string> old_status;
  for (const auto& t : tablets) {
    auto show = doris_serve::get_json(t.port, "GET", "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id));
    old_status.push_back(std::string{show.at(key).as_string()});
  }
  std::vector<std::size_t> triggered;
  for (std::size_t i = 0; i < tablets.size(); ++i) {
    auto run = doris_serve::get_json(tablets[i].port, "POST",
                                     "/api/compaction/run?tablet_id=" + std::to_string(tablets[i].tablet_id) +
                                       "&compact_type=" + type);
    auto status = lower(std::string{run.at("status").as_string()});
    if (status == "success" || status == "already_exist")
      triggered.push_back(i);
    else
      BOOST_REQUIRE_MESSAGE(!auto_compaction_disabled, "trigger compaction failed, tablet id: "
                                                         << tablets[i].tablet_id << ", status: " << status << " "
                                                         << json::serialize(run));
  }
  for (int waited = 0;; ++waited) {
    BOOST_REQUIRE_MESSAGE(waited <= timeout_seconds, type << " compaction did not finish in " << timeout_seconds << " s");
    bool running = false;
    for (auto i : triggered) {
      const auto& t = tablets[i];
      auto st = doris_serve::get_json(t.port, "GET", "/api/compaction/run_status?tablet_id=" + std::to_string(t.tablet_id));
      BOOST_REQUIRE_EQUAL(lower(std::string{st.at("status").as_string()}), "success");
      running = running || st.at("run_status").as_bool();
      auto show = doris_serve::get_json(t.port, "GET", "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id));
      running = running || std::string{show.at(key).as_string()} == old_status[i];
    }
    if (!running)
      return;
    suite_sleep(1000);
  }
}

/// update_all_be_config(key, value): the array answer, one item, "OK".
void update_all_be_config(const doris_serve& c, const std::string& key, const std::string& value) {
  for (int i = 0; i < c.backends(); ++i) {
    auto r = doris_serve::get_json(c.be(i), "POST", "/api/update_config?" + key + "=" + value);
    BOOST_REQUIRE_EQUAL(r.as_array().size(), 1u);
    BOOST_REQUIRE_EQUAL(r.at(0).at("status").as_string(), "OK");
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_doris_suites)

// regression-test/suites/compaction/test_full_compaction_by_table_id.groovy
BOOST_AUTO_TEST_CASE(test_full_compaction_by_table_id) {
  constexpr std::int64_t table = 20001;
  doris_serve c{R"([{"id": 20001, "name": "test_full_compaction_by_table_id", "keys_type": "UNIQUE_KEYS",
                    "merge_on_write": true, "buckets": 8, "replication_num": 1, "disable_auto_compaction": true,
                    "initial_loads": 6}])", 3, "2.1"};
  bool disabled = true;
  for (int i = 0; i < c.backends(); ++i)
    disabled = disable_auto_compaction(c.be(i));
  auto tablets = c.tablets_of(table);
  BOOST_REQUIRE_EQUAL(tablets.size(), 8u);
  for (const auto& t : tablets)
    BOOST_TEST(rowset_count(t) == 7u); // [0-1] and the six loads
  for (const auto& t : tablets)
    run_full_with_retries(t, "table_id=" + std::to_string(table), disabled);
  for (const auto& t : tablets)
    wait_until_not_running(t);
  for (const auto& t : tablets)
    BOOST_TEST(rowset_count(t) == 1u);
}

// regression-test/suites/compaction/test_full_compaction.groovy
BOOST_AUTO_TEST_CASE(test_full_compaction) {
  constexpr std::int64_t table = 20002;
  doris_serve c{R"([{"id": 20002, "name": "test_full_compaction", "keys_type": "UNIQUE_KEYS", "merge_on_write": true,
                    "buckets": 1, "replication_num": 3, "disable_auto_compaction": true, "initial_loads": 6}])",
                3, "2.1"};
  bool disabled = disable_auto_compaction(c.be(0));
  auto tablets = c.tablets_of(table);
  const std::size_t replica_num = 3;
  BOOST_REQUIRE_EQUAL(tablets.size(), replica_num);
  std::size_t rowsets = 0;
  for (const auto& t : tablets)
    rowsets += rowset_count(t);
  BOOST_TEST(rowsets == 7 * replica_num);
  for (const auto& t : tablets)
    run_full_with_retries(t, "tablet_id=" + std::to_string(t.tablet_id), disabled);
  for (const auto& t : tablets)
    wait_until_not_running(t);
  rowsets = 0;
  for (const auto& t : tablets)
    rowsets += rowset_count(t);
  BOOST_TEST(rowsets == 1 * replica_num);
}

// regression-test/plugins/plugin_compaction.groovy: trigger_and_wait_compaction
// for cumulative, base and full, as suites use it between loads.
BOOST_AUTO_TEST_CASE(plugin_trigger_and_wait_compaction_cumulative_base_full) {
  constexpr std::int64_t table = 20003;
  doris_serve c{R"([{"id": 20003, "name": "plugin_compaction", "keys_type": "DUP_KEYS", "buckets": 2,
                    "replication_num": 1, "disable_auto_compaction": true, "initial_loads": 10}])", 1, "2.1"};
  // Small test data never reaches the promotion size; as such suites do,
  // lower it so each cumulative output moves to the base side.
  update_all_be_config(c, "compaction_promotion_size_mbytes", "0");
  update_all_be_config(c, "compaction_promotion_min_size_mbytes", "0");
  trigger_and_wait_compaction(c, table, "cumulative", true);
  for (int v = 12; v <= 21; ++v)
    c.load(table, false, v);
  trigger_and_wait_compaction(c, table, "cumulative", true);
  for (const auto& t : c.tablets_of(table))
    BOOST_TEST(rowset_count(t) == 3u); // [0-1] [2-11] [12-21]
  trigger_and_wait_compaction(c, table, "base", true);
  for (const auto& t : c.tablets_of(table))
    BOOST_TEST(rowset_count(t) == 1u);
  for (int v = 22; v <= 24; ++v)
    c.load(table, false, v);
  trigger_and_wait_compaction(c, table, "full", true);
  for (const auto& t : c.tablets_of(table))
    BOOST_TEST(rowset_count(t) == 1u);
}

// regression-test/suites/compaction/test_compaction_score_action.groovy
BOOST_AUTO_TEST_CASE(test_compaction_score_action) {
  doris_serve c{R"([{"id": 20004, "name": "test_compaction_score_action", "keys_type": "DUP_KEYS", "buckets": 1,
                    "replication_num": 1, "disable_auto_compaction": true, "initial_loads": 90}])", 1, "2.1"};
  for (int i = 0; i < c.backends(); ++i) {
    auto scores = doris_serve::get_json(c.be(i), "GET", "/api/compaction_score?top_n=1");
    auto score = std::stoi(std::string{scores.at(0).at("compaction_score").as_string()}); // a string, parsed
    BOOST_TEST(score >= 90);
  }
}

/// The flow of test_compaction_{uniq,dup,agg}_keys_with_delete: loads and
/// DELETEs in the suite's order, one cumulative run per tablet (tolerating
/// "fail" only while the BE's auto compaction is on), the run_status wait,
/// then the sum of every rowset's `split(" ")[1]` (its segments).
int replay_keys_with_delete(const std::string& keys_type, const std::vector<bool>& deletes) {
  constexpr std::int64_t table = 20005;
  doris_serve c{R"([{"id": 20005, "name": "keys_with_delete_regression_test", "keys_type": ")" + keys_type +
                  R"(", "buckets": 1, "replication_num": 1}])", 1, "2.1"};
  bool disabled = disable_auto_compaction(c.be(0));
  std::int64_t version = 1;
  for (bool d : deletes)
    c.load(table, d, ++version);
  auto tablets = c.tablets_of(table);
  BOOST_REQUIRE_EQUAL(tablets.size(), 1u);
  for (const auto& t : tablets) {
    auto run = doris_serve::get_json(t.port, "POST", "/api/compaction/run?tablet_id=" + std::to_string(t.tablet_id) +
                                                       "&compact_type=cumulative");
    auto status = lower(std::string{run.at("status").as_string()});
    if (status == "fail")
      BOOST_TEST(!disabled);
    if (disabled)
      BOOST_TEST(status == "success");
  }
  for (const auto& t : tablets)
    wait_until_not_running(t);
  int row_count = 0;
  for (const auto& t : tablets) {
    auto show = doris_serve::get_json(t.port, "GET", "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id));
    for (const auto& rowset : show.at("rowsets").as_array()) {
      std::string line{rowset.as_string()};
      auto first = line.find(' '), second = line.find(' ', first + 1);
      row_count += std::stoi(line.substr(first + 1, second - first - 1)); // rowset.split(" ")[1]
    }
  }
  return row_count;
}

// regression-test/suites/compaction/test_compaction_uniq_keys_with_delete.groovy
BOOST_AUTO_TEST_CASE(test_compaction_uniq_keys_with_delete) {
  // INSERT, INSERT, DELETE, INSERT, INSERT, DELETE, INSERT, INSERT, DELETE, INSERT, INSERT
  BOOST_TEST(replay_keys_with_delete("UNIQUE_KEYS", {false, false, true, false, false, true, false, false, true, false,
                                                     false}) < 8);
}

// regression-test/suites/compaction/test_compaction_dup_keys_with_delete.groovy
BOOST_AUTO_TEST_CASE(test_compaction_dup_keys_with_delete) {
  // INSERT, INSERT, DELETE, INSERT, INSERT, DELETE, INSERT, INSERT, INSERT, DELETE, INSERT
  BOOST_TEST(replay_keys_with_delete("DUP_KEYS", {false, false, true, false, false, true, false, false, false, true,
                                                  false}) <= 8);
}

// regression-test/suites/compaction/test_full_compaction_status.groovy (a
// master-era suite: every "last ... time/status" key; the docs profile prints them).
BOOST_AUTO_TEST_CASE(test_full_compaction_status) {
  constexpr std::int64_t table = 20006;
  doris_serve c{R"([{"id": 20006, "name": "test_full_compaction_status", "keys_type": "UNIQUE_KEYS",
                    "merge_on_write": true, "buckets": 1, "replication_num": 1, "disable_auto_compaction": true,
                    "initial_loads": 3}])", 1, "docs"};
  auto tablets = c.tablets_of(table);
  BOOST_REQUIRE_EQUAL(tablets.size(), 1u);
  for (const auto& t : tablets) {
    auto target = "/api/compaction/show?tablet_id=" + std::to_string(t.tablet_id);
    auto before = test::call(t.port, "GET", target).body;
    BOOST_TEST(json::parse(before).at("rowsets").as_array().size() > 1u);
    for (const char* type : {"cumulative", "base", "full"})
      for (const char* what : {"failure time", "success time", "schedule time"}) {
        auto key = std::string{"\"last "} + type + " " + what + "\": \"1970-01-01";
        BOOST_TEST(before.find(key) != std::string::npos, key);
      }
    for (const char* type : {"cumulative", "base", "full"})
      BOOST_TEST(before.find(std::string{"last "} + type + " status") != std::string::npos);
    auto run = doris_serve::get_json(t.port, "POST", "/api/compaction/run?tablet_id=" + std::to_string(t.tablet_id) +
                                                       "&compact_type=full");
    BOOST_TEST(lower(std::string{run.at("status").as_string()}) == "success");
    int check_count = 0;
    for (; check_count < 10; ++check_count) {
      suite_sleep(1000);
      auto st = doris_serve::get_json(t.port, "GET", "/api/compaction/run_status?tablet_id=" + std::to_string(t.tablet_id));
      BOOST_TEST(lower(std::string{st.at("status").as_string()}) == "success");
      if (!st.at("run_status").as_bool())
        break;
    }
    BOOST_TEST(check_count < 10);
    auto after = test::call(t.port, "GET", target).body;
    BOOST_TEST(after.find("last full status\": \"[OK]\"") != std::string::npos);
    BOOST_TEST(after.find("last full success time\": \"1970-01-01") == std::string::npos);
    BOOST_TEST(after.find("last full schedule time\": \"1970-01-01") == std::string::npos);
    BOOST_TEST(json::parse(after).at("rowsets").as_array().size() == 1u);
  }
}

// The BE endpoints around those suites: ConfigAction, MetaAction,
// DeleteBitmapAction, VersionAction and ReportAction, answered as 2.1 does.
BOOST_AUTO_TEST_CASE(config_meta_delete_bitmap_version_and_report_actions) {
  constexpr std::int64_t table = 20007;
  doris_serve c{R"([{"id": 20007, "name": "mow", "keys_type": "UNIQUE_KEYS", "merge_on_write": true, "buckets": 1,
                    "replication_num": 1, "disable_auto_compaction": true, "initial_loads": 0}])", 1, "2.1"};
  auto be = c.be(0);
  // show_config?conf_item=: one [name, type, value, mutable] row, or none.
  auto one = doris_serve::get_json(be, "GET", "/api/show_config?conf_item=compaction_promotion_version_count");
  BOOST_REQUIRE_EQUAL(one.as_array().size(), 1u);
  BOOST_TEST(json::serialize(one) == R"([["compaction_promotion_version_count","int64_t","1000","true"]])");
  BOOST_TEST(doris_serve::get_json(be, "GET", "/api/show_config?conf_item=nope").as_array().empty());
  auto port_row = doris_serve::get_json(be, "GET", "/api/show_config?conf_item=webserver_port");
  BOOST_TEST(port_row.at(0).at(2).as_string() == std::to_string(be));
  // update_config: a mutable knob changes at once; unknown, immutable and bad
  // values answer as config::set_config does, and change nothing.
  auto ok = doris_serve::get_json(be, "POST", "/api/update_config?disable_auto_compaction=true&persist=false");
  BOOST_TEST(json::serialize(ok) == R"([{"config_name":"disable_auto_compaction","status":"OK","msg":""}])");
  BOOST_TEST(disable_auto_compaction(be));
  auto bad = doris_serve::get_json(be, "POST", "/api/update_config?nope=1&be_port=1&max_tablet_version_num=2x");
  BOOST_REQUIRE_EQUAL(bad.as_array().size(), 3u);
  BOOST_TEST(bad.at(0).at("msg").as_string() == "set nope=1 failed, reason: [NOT_FOUND]'nope' is not found.");
  BOOST_TEST(bad.at(1).at("msg").as_string() ==
             "set be_port=1 failed, reason: [NOT_IMPLEMENTED_ERROR]'be_port' is not support to modify.");
  BOOST_TEST(bad.at(2).at("msg").as_string() ==
             "set max_tablet_version_num=2x failed, reason: [INVALID_ARGUMENT]convert '2x' as int32_t failed.");
  for (const auto& item : bad.as_array())
    BOOST_TEST(item.at("status").as_string() == "BAD");
  auto still = doris_serve::get_json(be, "GET", "/api/show_config?conf_item=max_tablet_version_num");
  BOOST_TEST(still.at(0).at(2).as_string() == "2000");
  // The meta header of a tablet, and MetaAction's 500s.
  auto tablets = c.tablets_of(table);
  BOOST_REQUIRE_EQUAL(tablets.size(), 1u);
  auto id = std::to_string(tablets[0].tablet_id);
  for (int v = 2; v <= 4; ++v)
    c.load(table, false, v);
  auto meta = doris_serve::get_json(be, "GET", "/api/meta/header/" + id);
  BOOST_TEST(meta.at("cumulative_layer_point").as_int64() == 2);
  BOOST_TEST(meta.at("rs_metas").as_array().size() == 4u);
  BOOST_TEST(meta.at("rs_metas").at(3).at("start_version").as_int64() == 4);
  BOOST_TEST(meta.at("enable_unique_key_merge_on_write").as_bool());
  auto missing = test::call(be, "GET", "/api/meta/header/1");
  BOOST_TEST(missing.status == 500u);
  BOOST_TEST(json::parse(missing.body).at("status").as_string() == "INTERNAL_ERROR");
  BOOST_TEST(test::call(be, "GET", "/api/meta/header/abc").status == 500u);
  // The delete bitmap: MoW loads that overwrite keys mark older rows.
  auto bitmap = doris_serve::get_json(be, "GET", "/api/delete_bitmap/count_local?tablet_id=" + id);
  BOOST_TEST(bitmap.at("delete_bitmap_count").as_int64() >= 0);
  BOOST_TEST(bitmap.as_object().contains("cardinality"));
  BOOST_TEST(bitmap.as_object().contains("size"));
  BOOST_TEST(doris_serve::get_json(be, "GET", "/api/delete_bitmap/count_local").at("msg").as_string() ==
             "tablet id is empty!");
  BOOST_TEST(doris_serve::get_json(be, "GET", "/api/delete_bitmap/count_local?tablet_id=9").at("status").as_string() ==
             "NOT_FOUND");
  // be_version_info and the report triggers (the framework asserts 200 and status OK).
  auto version = doris_serve::get_json(be, "GET", "/api/be_version_info");
  BOOST_TEST(version.at("data").at("beVersionInfo").at("dorisBuildVersionMajor").as_int64() == 2);
  for (const char* name : {"tablet", "disk", "task"}) {
    auto r = test::call(be, "GET", std::string{"/api/report/"} + name);
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(json::parse(r.body).at("status").as_string() == "OK");
  }
  BOOST_TEST(test::call(be, "GET", "/api/report/nope").status == 500u);
  // GetDebugPoint().enableDebugPointForAllBEs: checkHttpResult(BE) wants status OK
  // (BaseDebugPointAction::handle answers Status::to_json).
  auto dp = test::call(be, "POST", "/api/debug_point/add/CumulativeCompaction.modify_rowsets.delete_expired_stale_rowsets");
  BOOST_TEST(dp.status == 200u);
  BOOST_TEST(json::parse(dp.body).at("status").as_string() == "OK");
  BOOST_TEST(json::parse(test::call(be, "POST", "/api/debug_point/clear").body).at("msg").as_string() == "OK");
}

BOOST_AUTO_TEST_SUITE_END()
