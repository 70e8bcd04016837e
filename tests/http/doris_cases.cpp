#include "tests/http/doris_cases.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

namespace compactsim::test {

namespace json = boost::json;
using sim::api_profile;

namespace {

json::object as_object(const http::response& r) {
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.content_type == "application/json");
  auto v = json::parse(r.body);
  BOOST_REQUIRE(v.is_object());
  return v.get_object();
}

void expect_error(const json::object& o, api_profile p, std::string_view status_2_1, std::string_view msg_2_1,
                  std::string_view msg_docs) {
  BOOST_TEST(o.at("status").as_string() == (p == api_profile::docs ? std::string_view{"Fail"} : status_2_1));
  BOOST_TEST(o.at("msg").as_string() == (p == api_profile::docs ? msg_docs : msg_2_1));
}

std::size_t rowsets(const caller& call, std::int64_t tablet) {
  auto show = as_object(call("GET", "/api/compaction/show?tablet_id=" + std::to_string(tablet)));
  return show.at("rowsets").as_array().size();
}

} // namespace

void check_documented_responses(const caller& call, api_profile p) {
  bool docs = p == api_profile::docs;
  auto run = call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative");
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(run.body == (docs ? R"({"status": "Success", "msg": "compaction task is successfully triggered."})"
                               : R"({"status": "Success", "msg": "compaction task is successfully triggered. Table id: 0. Tablet id: 10015"})"));

  auto st = as_object(call("GET", "/api/compaction/run_status?tablet_id=11308"));
  BOOST_TEST(st.at("status").as_string() == "Success");
  BOOST_TEST(st.at("run_status").as_bool() == false);
  BOOST_TEST(st.at("msg").as_string() ==
             (docs ? "this tablet_id is not running" : "compaction task for this tablet is not running"));
  BOOST_TEST(st.at("tablet_id").as_int64() == 11308);
  BOOST_TEST(st.contains("schema_hash") == docs);
  if (docs)
    BOOST_TEST(st.at("schema_hash").as_int64() == 700967178);
  BOOST_TEST(st.at("compact_type").as_string() == "");

  auto full = call("POST", "/api/compaction/run?table_id=10104&compact_type=full");
  BOOST_TEST(full.body == (docs ? R"({"status": "Success", "msg": "compaction task is successfully triggered."})"
                                : R"({"status": "Success", "msg": "compaction task is successfully triggered. Table id: 10104. Tablet id: 0"})"));

  expect_error(as_object(call("POST", "/api/compaction/run?tablet_id=999999999&compact_type=base")), p, "NOT_FOUND",
               "Tablet not found. tablet_id=999999999", "Tablet not found");
  expect_error(as_object(call("GET", "/api/compaction/run_status?tablet_id=999999999")), p, "INTERNAL_ERROR",
               "fail to get 999999999", "Tablet not found");
  expect_error(as_object(call("GET", "/api/compaction/show?tablet_id=999999999")), p, "NOT_FOUND",
               "Tablet not found. tablet_id=999999999", "Tablet not found");

  auto health = call("GET", "/api/health");
  BOOST_TEST(health.body == R"({"status": "OK","msg": "To Be Added"})");
  auto registry = as_object(call("GET", "/api/compaction/run_status"));
  BOOST_TEST(registry.contains("CumulativeCompaction"));
  BOOST_TEST(registry.contains("BaseCompaction"));
}

void check_bad_inputs(const caller& call, api_profile p) {
  auto before = rowsets(call, 10015);
  struct bad {
    const char* target;
    const char* status;
    const char* msg;
    const char* status_2_1 = nullptr; ///< where 2.1's std::stoull answers otherwise
    const char* msg_2_1 = nullptr;
  } cases[] = {
    {"/api/compaction/run?tablet_id=10015&table_id=10104&compact_type=full", "INTERNAL_ERROR",
     "tablet id and table id can not be set at the same time!"},
    {"/api/compaction/run?compact_type=full", "INTERNAL_ERROR", "tablet id and table id can not be empty at the same time!"},
    {"/api/compaction/run?tablet_id=abc&compact_type=base", "INTERNAL_ERROR", "convert tablet_id failed, stoull"},
    // CompactionAction::_check_param calls std::stoull, which wraps "-5".
    {"/api/compaction/run?tablet_id=-5&compact_type=base", "INTERNAL_ERROR", "convert tablet_id failed, stoull",
     "NOT_FOUND", "Tablet not found. tablet_id=18446744073709551611"},
    {"/api/compaction/run?tablet_id=0&compact_type=base", "INTERNAL_ERROR",
     "tablet id and table id can not be empty at the same time!"},
    {"/api/compaction/run?tablet_id=99999999999999999999999&compact_type=base", "INTERNAL_ERROR",
     "convert tablet_id failed, stoull"},
    {"/api/compaction/run?table_id=x1&compact_type=full", "INTERNAL_ERROR", "convert table_id failed, stoull"},
    {"/api/compaction/run?tablet_id=10015", "NOT_IMPLEMENTED_ERROR", "The compaction type '' is not supported"},
    {"/api/compaction/run?tablet_id=10015&compact_type=FULL", "NOT_IMPLEMENTED_ERROR",
     "The compaction type 'FULL' is not supported"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.target) {
      expect_error(as_object(call("POST", c.target)), p, c.status_2_1 ? c.status_2_1 : c.status,
                   c.msg_2_1 ? c.msg_2_1 : c.msg, c.msg);
    }
  }
  if (p != api_profile::docs) {
    // CompactionAction::_handle_run_compaction checks `remote` before the split.
    expect_error(as_object(call("POST", "/api/compaction/run?tablet_id=10015&compact_type=base&remote=yes")), p,
                 "NOT_IMPLEMENTED_ERROR", "The remote = 'yes' is not supported", "");
    expect_error(as_object(call("POST", "/api/compaction/run?tablet_id=10015&compact_type=cumulative&remote=true")),
                 p, "NOT_IMPLEMENTED_ERROR", "tablet should do compaction locally", "");
    expect_error(as_object(call("POST", "/api/compaction/run?tablet_id=999&compact_type=cumulative&remote=true")),
                 p, "NOT_FOUND", "Tablet not found. tablet_id=999", "");
    // std::stoull reads a numeric prefix: "10015abc" is tablet 10015.
    BOOST_TEST(as_object(call("GET", "/api/compaction/show?tablet_id=10015abc")).contains("rowsets"));
    expect_error(as_object(call("GET", "/api/compaction/show?tablet_id=0")), p, "INTERNAL_ERROR",
                 "check param failed: missing tablet_id", "");
    // _handle_run_status_compaction: tablet_id 0 is the registry.
    BOOST_TEST(as_object(call("GET", "/api/compaction/run_status?tablet_id=0")).contains("BaseCompaction"));
  }
  // CompactionScoreAction parses top_n with std::stoll: a numeric prefix is enough.
  auto top2 = json::parse(call("GET", "/api/compaction_score?top_n=2abc").body);
  BOOST_TEST(top2.as_array().size() == 2u);
  BOOST_TEST(call("GET", "/api/compaction_score?top_n=-1").status == 400u);
  // TabletsInfoAction: a bad limit lists nothing under "Parameter Error", 200.
  auto bad_limit = call("GET", "/tablets_json?limit=x");
  BOOST_TEST(bad_limit.status == 200u);
  BOOST_TEST(bad_limit.body == R"({"msg":"Parameter Error","code":0,"data":{"host":"127.0.0.1","tablets":[]},"count":0})");
  if (p == api_profile::docs)
    expect_error(as_object(call("POST", "/api/compaction/run?table_id=10104&compact_type=cumulative")), p, "", "",
                 "table_id can only be used with compact_type=full");
  expect_error(as_object(call("GET", "/api/compaction/run_status?tablet_id=zz")), p, "INTERNAL_ERROR",
               "convert tablet_id failed, stoull", "convert tablet_id failed, stoull");
  expect_error(as_object(call("GET", "/api/compaction/show")), p, "INTERNAL_ERROR",
               "check param failed: missing tablet_id", "check param failed: missing tablet_id");
  auto score = call("GET", "/api/compaction_score?top_n=wrong");
  BOOST_TEST(score.status == 400u);
  BOOST_TEST(score.body == "invalid argument: top_n=wrong");
  for (auto [method, target] : {std::pair{"GET", "/api/compaction/run?tablet_id=10015&compact_type=full"},
                                std::pair{"POST", "/api/compaction/show?tablet_id=10015"},
                                std::pair{"PUT", "/api/compaction/run?tablet_id=10015&compact_type=full"},
                                std::pair{"DELETE", "/api/compaction/run"}, std::pair{"POST", "/api/nothing"}}) {
    auto r = call(method, target);
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Not Found");
  }
  BOOST_TEST(rowsets(call, 10015) == before);
  auto st = as_object(call("GET", "/api/compaction/run_status?tablet_id=10015"));
  BOOST_TEST(st.at("run_status").as_bool() == false);
}

} // namespace compactsim::test
