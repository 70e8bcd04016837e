#include "tools/serve_command.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/cluster.hpp"
#include "actors/cluster_service.hpp"
#include "actors/druid_cluster_service.hpp"
#include "actors/live_control.hpp"
#include "actors/timer_pool.hpp"
#include "http/admin_api.hpp"
#include "http/basic_auth.hpp"
#include "http/json_format.hpp"
#include "http/openapi.hpp"
#include "http/doris_api.hpp"
#include "http/druid_api.hpp"
#include "http/server.hpp"
#include "scenarios/live_scenario.hpp"

namespace compactsim::tools {

namespace {

constexpr int exit_usage = 2;

std::optional<sim::cluster_config> load_config(const serve_options& opts) {
  if (opts.config_file.empty())
    return sim::default_cluster();
  std::ifstream in(opts.config_file);
  if (!in) {
    spdlog::error("cannot read config file '{}'", opts.config_file);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  auto v = boost::json::parse(text.str(), ec, {}, po);
  if (ec) {
    spdlog::error("config file '{}' is not valid JSON: {}", opts.config_file, ec.message());
    return std::nullopt;
  }
  std::string error;
  auto cfg = sim::parse_cluster_config(v, error);
  if (!cfg)
    spdlog::error("config file '{}': {}", opts.config_file, error);
  return cfg;
}

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

int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

} // namespace

int run_serve(const serve_options& opts) {
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  if (!http::is_loopback(opts.bind) && opts.auth.empty()) {
    spdlog::error("binding {} (not a loopback address) requires --auth USER:PASS", opts.bind);
    return exit_usage;
  }
  if (!opts.auth.empty() && opts.auth.find(':') == std::string::npos) {
    spdlog::error("--auth expects USER:PASS");
    return exit_usage;
  }
  auto cfg = load_config(opts);
  if (!cfg)
    return exit_usage;
  if (opts.seed)
    cfg->seed = *opts.seed;
  cfg->epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  caf::actor_system_config sys_cfg;
  sys_cfg.set("scheduler.max-threads", static_cast<std::size_t>(opts.threads));
  sys_cfg.set("logger.console-verbosity", caf::atom("quiet"));
  caf::actor_system sys{sys_cfg};
  std::string error;
  auto cluster = actors::spawn_cluster(sys, *cfg, error);
  if (!cluster) {
    spdlog::error("cannot build the cluster: {}", error);
    return exit_usage;
  }
  actors::cluster_service service{sys, cluster->router, cluster->backends.size(), cfg->doris.profile};
  auto control = std::make_shared<actors::live_control>(sys, *cluster, cfg->seed);
  http::http_fault_table http_faults{cfg->seed};
  auto guard = [&opts](http::dispatcher d) {
    return opts.auth.empty() ? d : http::with_basic_auth(std::move(d), opts.auth);
  };
  // HTTP latency is real time; the pool's timers stop before anything they reach is gone.
  auto latency_timers = std::make_shared<actors::timer_pool>(sys);
  http::delay_fn delay = [latency_timers](std::chrono::milliseconds d, std::function<void()> fn) {
    latency_timers->after(d, std::move(fn));
  };
  if (opts.speed != 1.0)
    control->set_speed(opts.speed);
  std::vector<std::unique_ptr<http::route_table>> tables;
  http::request_metrics http_metrics; // every listener's requests, on the admin /metrics
  http::server_limits limits;
  limits.body_limit = opts.max_body;
  limits.header_limit = opts.max_header;
  limits.read_timeout = std::chrono::milliseconds{opts.read_timeout_ms};
  limits.idle_timeout = std::chrono::milliseconds{opts.idle_timeout_ms};
  limits.max_connections = opts.max_connections;
  http::server server{limits, opts.threads};
  int code = 0;
  for (std::size_t i = 0; i < cluster->backends.size() && code == 0; ++i) {
    tables.push_back(std::make_unique<http::route_table>(http::make_doris_routes(service, static_cast<int>(i))));
    auto port = static_cast<std::uint16_t>(opts.doris_port + i);
    boost::system::error_code ec;
    // A crashed BE (a fault) closes connections, as a dead process does; a
    // paused one keeps them open and answers nothing, as a stopped one does.
    auto be_handler = [inner = logged(*tables.back(), port), control, i](http::request req, http::responder r) {
      if (control->backend_down(i)) {
        http::response dead;
        dead.drop_connection = true;
        return r(std::move(dead));
      }
      if (control->backend_paused(i))
        return; // the server's handler timeout (or the client's) ends it
      inner(std::move(req), std::move(r));
    };
    server.listen(opts.bind, port,
                  http::observed(guard(http::with_http_faults(be_handler, http_faults, port, delay)), *tables.back(),
                                 "be:" + std::to_string(i), http_metrics),
                  ec);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, port, ec.message());
      code = 1;
    } else {
      spdlog::info("BE {} (backend_id {}) answers on http://{}:{}", i, cluster->catalog.backend_ids[i], opts.bind, port);
    }
  }
  actors::druid_cluster_service druid_service{sys, cluster->druid_coordinator, cluster->druid_overlord};
  // A reset replaces every actor: the HTTP side follows the new ones.
  control->on_reset([&service, &druid_service](const actors::cluster& c) {
    service.retarget(c.router);
    druid_service.retarget(c.druid_coordinator, c.druid_overlord);
    spdlog::info("cluster reset: {} backends, {} tablets (seed {})", c.backends.size(), c.catalog.tablets.size(),
                 c.config.seed);
  });
  if (code == 0 && cfg->druid.enabled) {
    tables.push_back(std::make_unique<http::route_table>(http::make_druid_routes(druid_service)));
    boost::system::error_code ec;
    server.listen(opts.bind, opts.druid_port,
                  http::observed(guard(http::with_http_faults(logged(*tables.back(), opts.druid_port), http_faults,
                                                              opts.druid_port, delay)),
                                 *tables.back(), "druid", http_metrics),
                  ec);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.druid_port, ec.message());
      code = 1;
    } else {
      spdlog::info("Druid router answers on http://{}:{} ({} datasources, {} task slots)", opts.bind,
                   opts.druid_port, cfg->druid.datasources.size(), [&] {
                     int n = 0;
                     for (const auto& w : cfg->druid.workers)
                       n += w.capacity;
                     return n;
                   }());
    }
  }
  if (code == 0) {
    tables.push_back(std::make_unique<http::route_table>(http::make_admin_routes(*control, http_faults, &http_metrics)));
    scenarios::add_scenario_route(*tables.back(), *control);
    // The OpenAPI document covers one BE's table, the router's and this one.
    auto doc = std::make_shared<std::string>();
    tables.back()->add("GET", "/sim/v1/openapi.json", [doc](const http::call&, http::responder r) {
      r(http::response::json(200, *doc));
    });
    std::vector<std::pair<std::string, const http::route_table*>> apis{{"doris-be", tables.front().get()}};
    if (cfg->druid.enabled)
      apis.emplace_back("druid-router", tables[tables.size() - 2].get());
    apis.emplace_back("control", tables.back().get());
    *doc = http::jackson_json(http::openapi_document(apis));
    boost::system::error_code ec;
    server.listen(opts.bind, opts.admin_port,
                  http::observed(guard(logged(*tables.back(), opts.admin_port)), *tables.back(), "admin", http_metrics),
                  ec);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.admin_port, ec.message());
      code = 1;
    } else {
      spdlog::info("control API (faults, /readyz, /metrics) answers on http://{}:{}", opts.bind, opts.admin_port);
    }
  }
  if (code == 0) {
    server.start();
    spdlog::info("compactsim serving {} backends, {} tablets (seed {}); Ctrl-C stops", cluster->backends.size(),
                 cluster->catalog.tablets.size(), cfg->seed);
    auto sig = wait_for_signal();
    spdlog::info("signal {} received, stopping", sig);
  }
  server.stop();
  latency_timers->stop_all();
  control->shutdown();
  return code;
}

} // namespace compactsim::tools
