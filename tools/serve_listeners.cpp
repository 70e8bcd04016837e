//! serve's HTTP listeners; see serve_listeners.hpp.

#include "tools/serve_listeners.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "http/control/admin_api.hpp"
#include "http/control/dashboard_api.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"
#include "http/json_format.hpp"
#include "http/openapi.hpp"
#include "scenarios/live_scenario.hpp"

namespace compactsim::tools {

namespace {

/// Logs one line per request at debug level.
http::dispatcher logged(const http::route_table& routes, std::uint16_t port) {
  return [&routes, port](http::request req, http::responder respond) {
    auto started = std::chrono::steady_clock::now();
    auto line = req.method + " " + req.target;
    routes.dispatch(req, [respond, line, port, started](http::response res) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
      spdlog::debug(":{} {} -> {} ({} us)", port, line, res.status, us.count());
      respond(std::move(res));
    });
  };
}

} // namespace

int listen_backends(listen_kit& kit, actors::doris_cluster_service& service, const actors::cluster& cluster,
                    const std::shared_ptr<actors::live_control>& control, const std::vector<std::int32_t>& remote_slots) {
  const auto& opts = kit.opts;
  auto is_remote = [&remote_slots](std::size_t i) {
    return std::find(remote_slots.begin(), remote_slots.end(), static_cast<std::int32_t>(i)) != remote_slots.end();
  };
  int code = 0;
  for (std::size_t i = 0; i < cluster.backends.size() && code == 0; ++i) {
    kit.tables.push_back(std::make_unique<http::route_table>(http::make_doris_routes(service, static_cast<int>(i), static_cast<std::uint16_t>(opts.doris_port + i))));
    if (is_remote(i))
      continue; // its node process listens
    auto port = static_cast<std::uint16_t>(opts.doris_port + i);
    boost::system::error_code ec;
    // A crashed BE (a fault) closes connections, as a dead process does; a
    // paused one keeps them open and answers nothing, as a stopped one does.
    auto be_handler = [inner = logged(*kit.tables.back(), port), control, i](http::request req, http::responder r) {
      if (control->backend_down(i)) {
        http::response dead;
        dead.drop_connection = true;
        return r(std::move(dead));
      }
      if (control->backend_paused(i))
        return; // the server's handler timeout (or the client's) ends it
      inner(std::move(req), std::move(r));
    };
    kit.server.listen(opts.bind, port,
                      kit.guard(http::with_http_faults(http::recorded(be_handler, kit.recorder, "be:" + std::to_string(i)),
                                                       kit.http_faults, port, kit.delay)),
                      ec,
                      http::observer(*kit.tables.back(), "be:" + std::to_string(i), kit.http_metrics),
                      http::read_timeout_answer::close);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, port, ec.message());
      code = 1;
    } else {
      spdlog::info("BE {} (backend_id {}) answers on http://{}:{}", i, cluster.catalog.backend_ids[i], opts.bind, port);
    }
  }
  return code;
}

int listen_druid(listen_kit& kit, actors::druid_cluster_service& druid_service, const sim::druid_cluster_config& druid) {
  const auto& opts = kit.opts;
  kit.tables.push_back(std::make_unique<http::route_table>(http::make_druid_routes(druid_service, druid.api_version())));
  boost::system::error_code ec;
  kit.server.listen(opts.bind, opts.druid_port,
                    kit.guard(http::with_http_faults(http::recorded(logged(*kit.tables.back(), opts.druid_port), kit.recorder, "druid"),
                                                     kit.http_faults, opts.druid_port, kit.delay)),
                    ec, http::observer(*kit.tables.back(), "druid", kit.http_metrics), http::read_timeout_answer::close);
  if (ec) {
    spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.druid_port, ec.message());
    return 1;
  }
  spdlog::info("Druid {} router answers on http://{}:{} ({} datasources, {} task slots)", druid.api_version(),
               opts.bind, opts.druid_port, druid.datasources.size(), [&] {
                 int n = 0;
                 for (const auto& w : druid.workers)
                   n += w.capacity;
                 return n;
               }());
  return 0;
}

int listen_admin(listen_kit& kit, actors::live_control& control, const boost::json::value& recorded_cluster,
                 std::uint64_t seed, bool druid) {
  const auto& opts = kit.opts;
  auto& tables = kit.tables;
  tables.push_back(std::make_unique<http::route_table>(http::make_admin_routes(control, kit.http_faults, &kit.http_metrics)));
  scenarios::add_scenario_route(*tables.back(), control, &kit.http_faults);
  http::add_dashboard_routes(*tables.back(), control, std::make_shared<http::dashboard_history>());
  http::add_record_routes(*tables.back(), control, kit.recorder, recorded_cluster, seed);
  // The OpenAPI document covers one BE's table, the router's and this one.
  auto doc = std::make_shared<std::string>();
  tables.back()->add("GET", "/sim/v1/openapi.json", [doc](const http::call&, http::responder r) {
    r(http::response::json(200, *doc));
  });
  std::vector<std::pair<std::string, const http::route_table*>> apis{{"doris-be", tables.front().get()}};
  if (druid)
    apis.emplace_back("druid-router", tables[tables.size() - 2].get());
  apis.emplace_back("control", tables.back().get());
  *doc = http::jackson_json(http::openapi_document(apis));
  boost::system::error_code ec;
  kit.server.listen(opts.bind, opts.admin_port, kit.guard(http::recorded(logged(*tables.back(), opts.admin_port), kit.recorder, "admin")), ec,
                    http::observer(*tables.back(), "admin", kit.http_metrics));
  if (ec) {
    spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.admin_port, ec.message());
    return 1;
  }
  spdlog::info("control API (faults, /readyz, /metrics) answers on http://{}:{}; the dashboard is at http://{}:{}/",
               opts.bind, opts.admin_port, opts.bind, opts.admin_port);
  return 0;
}

} // namespace compactsim::tools
