#include "tools/serve_command.hpp"
#include "config/cluster_reader.hpp"

#include "tools/fd_limit.hpp"
#include "tools/stop_signals.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/cluster.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/druid/cluster_service.hpp"
#include "actors/live_control.hpp"
#include "actors/node_link.hpp"
#include "actors/remote.hpp"
#include "actors/timer_pool.hpp"
#include "http/control/admin_api.hpp"
#include "http/basic_auth.hpp"
#include "http/json_format.hpp"
#include "http/openapi.hpp"
#include "http/doris/be_api.hpp"
#include "http/druid/router_api.hpp"
#include "http/server.hpp"
#include "scenarios/live_scenario.hpp"
#include "http/control/dashboard_api.hpp"
#include "http/control/recorder.hpp"

namespace compactsim::tools {

namespace {

constexpr int exit_usage = 2;

/// The config file's text ("" for the built-in cluster), or nullopt.
std::optional<std::string> config_text(const serve_options& opts) {
  if (opts.config_file.empty())
    return std::string{};
  std::ifstream in(opts.config_file);
  if (!in) {
    spdlog::error("cannot read config file '{}'", opts.config_file);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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


} // namespace

std::optional<sim::cluster_config> parse_config_text(const std::string& text, const std::string& source,
                                                     std::string& error) {
  if (text.empty())
    return sim::default_cluster();
  boost::system::error_code ec;
  boost::json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  auto v = boost::json::parse(text, ec, {}, po);
  if (ec) {
    error = "config " + source + " is not valid JSON: " + ec.message();
    return std::nullopt;
  }
  auto cfg = config::parse_cluster_config(v, error);
  if (!cfg)
    error = "config " + source + ": " + error;
  return cfg;
}

int run_serve(const serve_options& opts) {
  raise_fd_limit();
  // Block the stop signals in every thread; the main thread waits for them.
  block_stop_signals();

  if (!http::is_loopback(opts.bind) && opts.auth.empty()) {
    spdlog::error("binding {} (not a loopback address) requires --auth USER:PASS", opts.bind);
    return exit_usage;
  }
  if (!opts.auth.empty() && !http::valid_credentials(opts.auth)) {
    spdlog::error("--auth expects USER:PASS, neither empty");
    return exit_usage;
  }
  auto text = config_text(opts);
  if (!text)
    return exit_usage;
  std::string config_error;
  auto cfg = parse_config_text(*text, "'" + opts.config_file + "'", config_error);
  if (!cfg) {
    spdlog::error("{}", config_error);
    return exit_usage;
  }
  if (opts.remote_backends > static_cast<std::size_t>(cfg->doris.backends)) {
    spdlog::error("--remote-backends {} exceeds the cluster's {} backends", opts.remote_backends, cfg->doris.backends);
    return exit_usage;
  }
  if (opts.seed)
    cfg->seed = *opts.seed;
  if (opts.druid_version)
    cfg->druid.version = *opts.druid_version;
  if (opts.druid_compaction_supervisors)
    cfg->druid.knobs.compaction_supervisors = true;
  // After every override: a config's supervisors with --druid-version 30 too.
  if (cfg->druid.knobs.compaction_supervisors && cfg->druid.api_version() < 31) {
    spdlog::error("compaction supervisors need Druid version 31 (Druid 30 has none): add --druid-version 31");
    return exit_usage;
  }
  cfg->epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  caf::actor_system_config sys_cfg;
  sys_cfg.set("scheduler.max-threads", static_cast<std::size_t>(opts.threads));
  sys_cfg.set("logger.console-verbosity", caf::atom("quiet"));
  if (opts.remote_backends > 0)
    actors::enable_remote(sys_cfg);
  caf::actor_system sys{sys_cfg};
  std::string error;
  auto cluster = actors::spawn_cluster(sys, *cfg, error, nullptr, opts.speed);
  if (!cluster) {
    spdlog::error("cannot build the cluster: {}", error);
    return exit_usage;
  }
  // The last N backends run in node processes: until one attaches, their
  // slot holds a stopped actor (requests to it fail, as to a dead BE).
  std::vector<std::int32_t> remote_slots;
  for (auto i = cluster->backends.size() - opts.remote_backends; i < cluster->backends.size(); ++i) {
    remote_slots.push_back(static_cast<std::int32_t>(i));
    actors::crash_backend(*cluster, i);
  }
  actors::doris_cluster_service service{sys, cluster->router, cluster->backends.size(), cfg->doris.profile};
  auto control = std::make_shared<actors::live_control>(sys, *cluster, cfg->seed);
  control->set_remote_slots(remote_slots);
  auto is_remote = [&remote_slots](std::size_t i) {
    return std::find(remote_slots.begin(), remote_slots.end(), static_cast<std::int32_t>(i)) != remote_slots.end();
  };
  http::http_fault_table http_faults{cfg->seed};
  auto guard = [&opts](http::dispatcher d) {
    return opts.auth.empty() ? d : http::with_basic_auth(std::move(d), opts.auth);
  };
  // HTTP latency is real time; the pool's timers stop before anything they reach is gone.
  auto latency_timers = std::make_shared<actors::timer_pool>(sys);
  http::delay_fn delay = [latency_timers](std::chrono::milliseconds d, std::function<void()> fn) {
    latency_timers->after(d, std::move(fn));
  };
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
  // Recording (POST /sim/v1/record or --record) sees every listener's requests.
  auto recorder = std::make_shared<http::session_recorder>([control] { return control->now(); });
  boost::json::value recorded_cluster; // null: the built-in cluster
  if (!text->empty()) {
    boost::json::parse_options po;
    po.allow_comments = true;
    po.allow_trailing_commas = true;
    recorded_cluster = boost::json::parse(*text, {}, po);
  }
  if (!opts.record_file.empty()) {
    // A recording that cannot be written fails now, not after the session.
    if (!std::ofstream{opts.record_file, std::ios::app}) {
      spdlog::error("cannot write {}", opts.record_file);
      code = 2;
    }
    recorder->start();
  }
  for (std::size_t i = 0; i < cluster->backends.size() && code == 0; ++i) {
    tables.push_back(std::make_unique<http::route_table>(http::make_doris_routes(service, static_cast<int>(i), static_cast<std::uint16_t>(opts.doris_port + i))));
    if (is_remote(i))
      continue; // its node process listens
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
                  guard(http::with_http_faults(http::recorded(be_handler, recorder, "be:" + std::to_string(i)),
                                               http_faults, port, delay)),
                  ec,
                  http::observer(*tables.back(), "be:" + std::to_string(i), http_metrics),
                  http::read_timeout_answer::close);
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
    tables.push_back(std::make_unique<http::route_table>(http::make_druid_routes(druid_service, cfg->druid.api_version())));
    boost::system::error_code ec;
    server.listen(opts.bind, opts.druid_port,
                  guard(http::with_http_faults(http::recorded(logged(*tables.back(), opts.druid_port), recorder, "druid"),
                                               http_faults, opts.druid_port, delay)),
                  ec, http::observer(*tables.back(), "druid", http_metrics), http::read_timeout_answer::close);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.druid_port, ec.message());
      code = 1;
    } else {
      spdlog::info("Druid {} router answers on http://{}:{} ({} datasources, {} task slots)", cfg->druid.api_version(),
                   opts.bind, opts.druid_port, cfg->druid.datasources.size(), [&] {
                     int n = 0;
                     for (const auto& w : cfg->druid.workers)
                       n += w.capacity;
                     return n;
                   }());
    }
  }
  if (code == 0) {
    tables.push_back(std::make_unique<http::route_table>(http::make_admin_routes(*control, http_faults, &http_metrics)));
    scenarios::add_scenario_route(*tables.back(), *control, &http_faults);
    http::add_dashboard_routes(*tables.back(), *control, std::make_shared<http::dashboard_history>());
    http::add_record_routes(*tables.back(), *control, recorder, recorded_cluster, cfg->seed);
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
    server.listen(opts.bind, opts.admin_port, guard(http::recorded(logged(*tables.back(), opts.admin_port), recorder, "admin")), ec,
                  http::observer(*tables.back(), "admin", http_metrics));
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, opts.admin_port, ec.message());
      code = 1;
    } else {
      spdlog::info("control API (faults, /readyz, /metrics) answers on http://{}:{}; the dashboard is at http://{}:{}/",
                   opts.bind, opts.admin_port, opts.bind, opts.admin_port);
    }
  }
  caf::actor registry;
  std::unique_ptr<actors::node_gate> node_gate;
  if (code == 0 && !remote_slots.empty()) {
    actors::join_offer offer;
    offer.config_text = *text;
    offer.seed = cfg->seed;
    offer.epoch_ms = cfg->epoch_ms;
    offer.slots = remote_slots;
    offer.body_limit = opts.max_body;
    offer.header_limit = opts.max_header;
    offer.read_timeout_ms = opts.read_timeout_ms;
    offer.idle_timeout_ms = opts.idle_timeout_ms;
    offer.max_connections = opts.max_connections;
    actors::registry_hooks hooks;
    hooks.attached = [control](std::int32_t slot, actors::backend_actor be, caf::actor host) {
      control->attach_remote(slot, std::move(be), std::move(host));
      spdlog::info("be:{} attached from a node process", slot);
    };
    hooks.detached = [](std::int32_t slot) { spdlog::warn("be:{} went away (its node process stopped or crashed)", slot); };
    registry = sys.spawn(actors::node_registry, offer, cluster->clock, hooks);
    std::string error;
    node_gate = actors::node_gate::open(sys, registry, opts.bind, opts.node_port, opts.auth, {}, error);
    if (!node_gate) {
      spdlog::error("cannot open the node port {}:{}: {}", opts.bind, opts.node_port, error);
      code = 1;
    } else {
      std::string slots;
      for (auto s : remote_slots)
        slots += (slots.empty() ? "be:" : ", be:") + std::to_string(s);
      spdlog::info("nodes join at {}:{} for {}{}", opts.bind, node_gate->port(), slots,
                   opts.auth.empty() ? "" : " (with serve's --auth)");
    }
  }
  if (code == 0) {
    server.start();
    spdlog::info("compactsim serving {} backends, {} tablets (seed {}); Ctrl-C stops", cluster->backends.size(),
                 cluster->catalog.tablets.size(), cfg->seed);
    auto sig = wait_for_stop_signal();
    spdlog::info("signal {} received, stopping", sig);
  }
  server.stop();
  if (!opts.record_file.empty() && code != 2) {
    std::ofstream out{opts.record_file, std::ios::binary | std::ios::trunc};
    out << recorder->scenario("recorded", recorded_cluster, cfg->seed);
    if (out.flush())
      spdlog::info("the session ({} requests) is recorded in {}; replay: compactsim run {}", recorder->size(),
                   opts.record_file, opts.record_file);
    else
      spdlog::error("cannot write {}", opts.record_file);
  }
  latency_timers->stop_all();
  node_gate.reset();
  if (registry)
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  control->shutdown();
  return code;
}

} // namespace compactsim::tools
