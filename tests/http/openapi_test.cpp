// The OpenAPI document lists every route of the three APIs' real tables.

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "actors/live_control.hpp"
#include "http/control/admin_api.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"
#include "http/openapi.hpp"
#include "tests/actors/fixture.hpp"

using namespace compactsim;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(http_openapi)

BOOST_AUTO_TEST_CASE(every_route_of_every_api_is_documented) {
  test::cluster_fixture f;
  auto control = std::make_shared<actors::live_control>(*f.sys, *f.cluster, 1);
  http::http_fault_table faults{1};
  auto doris = http::make_doris_routes(*f.doris, 0);
  auto druid = http::make_druid_routes(*f.druid, sim::druid_version_max); // every version's routes
  auto admin = http::make_admin_routes(*control, faults);
  auto doc = http::openapi_document({{"doris-be", &doris}, {"druid-router", &druid}, {"control", &admin}});
  BOOST_TEST(doc.at("openapi").as_string() == "3.0.3");
  const auto& paths = doc.at("paths").as_object();
  std::size_t routes = 0;
  for (const auto* table : {&doris, &druid, &admin})
    for (const auto& [method, pattern] : table->routes()) {
      ++routes;
      std::string lower = method;
      for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      BOOST_TEST_CONTEXT(method << " " << pattern) {
        BOOST_REQUIRE(paths.contains(pattern));
        BOOST_REQUIRE(paths.at(pattern).as_object().contains(lower));
        const auto& op = paths.at(pattern).at(lower);
        // A real summary, not the pattern: the docs table must know the route.
        BOOST_REQUIRE(op.as_object().contains("summary"));
        BOOST_TEST(op.at("summary").as_string() != pattern);
        BOOST_TEST(op.at("summary").as_string().size() > 8u);
        if (op.as_object().contains("parameters"))
          for (const auto& p : op.at("parameters").as_array())
            BOOST_TEST(!p.at("description").as_string().empty(), p.at("name").as_string());
        BOOST_TEST(op.at("responses").as_object().contains("200"));
        if (pattern.find('{') != std::string::npos)
          BOOST_TEST(op.at("parameters").as_array().size() >= 1u);
      }
    }
  BOOST_TEST(routes > 40u);
  BOOST_TEST(paths.at("/druid/indexer/v1/task/{taskId}/status").at("get").at("summary").as_string() == "A task's status");
  BOOST_TEST(json::parse(json::serialize(doc)).is_object()); // serializes as valid JSON
}

BOOST_AUTO_TEST_SUITE_END()
