#pragma once
// Routes a request through a route table on the deterministic scheduler and
// runs virtual time until it is answered (10 virtual seconds at most).

#include <memory>
#include <optional>

#include <boost/test/unit_test.hpp>

#include "actors/virtual_time.hpp"
#include "http/route_table.hpp"

namespace compactsim::test {

inline http::response route_call(const http::route_table& routes, actors::virtual_time& time, const http::request& req) {
  auto out = std::make_shared<std::optional<http::response>>();
  routes.dispatch(req, [out](http::response r) { *out = std::move(r); });
  time.drain();
  for (int i = 0; i < 1000 && !*out; ++i)
    time.run_for(std::chrono::milliseconds{10});
  BOOST_REQUIRE(out->has_value());
  return std::move(**out);
}

} // namespace compactsim::test
