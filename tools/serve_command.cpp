//! `compactsim serve`: the config and its overrides, the actor system and
//! cluster, the node port for remote backends, and the run until a stop
//! signal. The HTTP listeners are built in serve_listeners.cpp.

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
#include "http/basic_auth.hpp"
#include "http/server.hpp"
#include "http/control/recorder.hpp"
#include "sim/core/rng.hpp"
#include "tools/serve_listeners.hpp"

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

/// Binding off loopback needs credentials, and credentials must be USER:PASS.
bool auth_ok(const serve_options& opts) {
  auto refusal = http::bind_refusal(opts.bind, opts.auth);
  if (!refusal.empty())
    spdlog::error("{}", refusal);
  return refusal.empty();
}

/// The cluster to serve: the config file's (or the built-in one) with the
/// command line's overrides; nullopt (logged) when it cannot be served.
std::optional<sim::cluster_config> serve_config(const serve_options& opts, const std::string& text) {
  std::string config_error;
  auto cfg = parse_config_text(text, "'" + opts.config_file + "'", config_error);
  if (!cfg) {
    spdlog::error("{}", config_error);
    return std::nullopt;
  }
  if (opts.remote_backends > static_cast<std::size_t>(cfg->doris.backends)) {
    spdlog::error("--remote-backends {} exceeds the cluster's {} backends", opts.remote_backends, cfg->doris.backends);
    return std::nullopt;
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
    return std::nullopt;
  }
  return cfg;
}

http::server_limits serve_limits(const serve_options& opts) {
  http::server_limits limits;
  limits.body_limit = opts.max_body;
  limits.header_limit = opts.max_header;
  limits.read_timeout = std::chrono::milliseconds{opts.read_timeout_ms};
  limits.idle_timeout = std::chrono::milliseconds{opts.idle_timeout_ms};
  limits.max_connections = opts.max_connections;
  return limits;
}

/// The cluster as a recording names it: the config file's JSON, or null
/// for the built-in cluster.
boost::json::value recorded_cluster_of(const std::string& text) {
  boost::json::value recorded_cluster; // null: the built-in cluster
  if (!text.empty()) {
    boost::json::parse_options po;
    po.allow_comments = true;
    po.allow_trailing_commas = true;
    recorded_cluster = boost::json::parse(text, {}, po);
  }
  return recorded_cluster;
}

/// The last `n` backends run in node processes: until one attaches, their
/// slot holds a stopped actor (requests to it fail, as to a dead BE).
std::vector<std::int32_t> take_remote_slots(actors::cluster& cluster, std::size_t n) {
  std::vector<std::int32_t> remote_slots;
  for (auto i = cluster.backends.size() - n; i < cluster.backends.size(); ++i) {
    remote_slots.push_back(static_cast<std::int32_t>(i));
    actors::crash_backend(cluster, i);
  }
  return remote_slots;
}

/// --record: the recording starts with the session. 0, or 2 when the file
/// cannot be written.
int start_recording(const serve_options& opts, http::session_recorder& recorder) {
  int code = 0;
  // A recording that cannot be written fails now, not after the session.
  if (!std::ofstream{opts.record_file, std::ios::app}) {
    spdlog::error("cannot write {}", opts.record_file);
    code = 2;
  }
  recorder.start();
  return code;
}

/// What a joining node process is told: its slots, and how serve built the
/// cluster and bounds its listeners.
actors::join_offer join_offer_of(const serve_options& opts, const std::string& text, const sim::cluster_config& cfg,
                                 const std::vector<std::int32_t>& remote_slots) {
  actors::join_offer offer;
  offer.config_text = text;
  offer.seed = cfg.seed;
  offer.epoch_ms = cfg.epoch_ms;
  offer.slots = remote_slots;
  offer.body_limit = opts.max_body;
  offer.header_limit = opts.max_header;
  offer.read_timeout_ms = opts.read_timeout_ms;
  offer.idle_timeout_ms = opts.idle_timeout_ms;
  offer.max_connections = opts.max_connections;
  return offer;
}

/// Opens the port node processes join at, behind the registry that hands
/// them `offer`'s slots. 0, or 1 when the port cannot be opened.
int open_node_port(caf::actor_system& sys, const serve_options& opts, const actors::join_offer& offer,
                   const actors::cluster& cluster, const std::shared_ptr<actors::live_control>& control,
                   caf::actor& registry, std::unique_ptr<actors::node_gate>& node_gate) {
  actors::registry_hooks hooks;
  hooks.attached = [control](std::int32_t slot, actors::backend_actor be, caf::actor host) {
    control->attach_remote(slot, std::move(be), std::move(host));
    spdlog::info("be:{} attached from a node process", slot);
  };
  hooks.detached = [](std::int32_t slot) { spdlog::warn("be:{} went away (its node process stopped or crashed)", slot); };
  registry = sys.spawn(actors::node_registry, offer, cluster.clock, hooks);
  std::string error;
  node_gate = actors::node_gate::open(sys, registry, opts.bind, opts.node_port, opts.auth, {}, error);
  if (!node_gate) {
    spdlog::error("cannot open the node port {}:{}: {}", opts.bind, opts.node_port, error);
    return 1;
  }
  std::string slots;
  for (auto s : offer.slots)
    slots += (slots.empty() ? "be:" : ", be:") + std::to_string(s);
  spdlog::info("nodes join at {}:{} for {}{}", opts.bind, node_gate->port(), slots,
               opts.auth.empty() ? "" : " (with serve's --auth)");
  return 0;
}

/// Writes the session --record recorded as a scenario file.
void write_recording(const serve_options& opts, const http::session_recorder& recorder,
                     const boost::json::value& recorded_cluster, std::uint64_t seed) {
  std::ofstream out{opts.record_file, std::ios::binary | std::ios::trunc};
  out << recorder.scenario("recorded", recorded_cluster, seed);
  if (out.flush())
    spdlog::info("the session ({} requests) is recorded in {}; replay: compactsim run {}", recorder.size(),
                 opts.record_file, opts.record_file);
  else
    spdlog::error("cannot write {}", opts.record_file);
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

  if (!auth_ok(opts))
    return exit_usage;
  auto text = config_text(opts);
  if (!text)
    return exit_usage;
  auto cfg = serve_config(opts, *text);
  if (!cfg)
    return exit_usage;
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
  auto remote_slots = take_remote_slots(*cluster, opts.remote_backends);
  actors::doris_cluster_service service{sys, cluster->router, cluster->backends.size(), cfg->doris.profile};
  auto control = std::make_shared<actors::live_control>(sys, *cluster, cfg->seed);
  control->set_remote_slots(remote_slots);
  http::http_fault_table http_faults{sim::derive_seed(cfg->seed, sim::seed_stream::http_faults)};
  // HTTP latency is real time; the pool's timers stop before anything they reach is gone.
  auto latency_timers = std::make_shared<actors::timer_pool>(sys);
  http::delay_fn delay = [latency_timers](std::chrono::milliseconds d, std::function<void()> fn) {
    latency_timers->after(d, std::move(fn));
  };
  std::vector<std::unique_ptr<http::route_table>> tables;
  http::request_metrics http_metrics; // every listener's requests, on the admin /metrics
  http::server server{serve_limits(opts), opts.threads};
  int code = 0;
  // Recording (POST /sim/v1/record or --record) sees every listener's requests.
  auto recorder = std::make_shared<http::session_recorder>([control] { return control->now(); });
  auto recorded_cluster = recorded_cluster_of(*text);
  if (!opts.record_file.empty())
    code = start_recording(opts, *recorder);
  listen_kit kit{opts, server, tables, http_faults, delay, recorder, http_metrics};
  if (code == 0)
    code = listen_backends(kit, service, *cluster, control, remote_slots);
  actors::druid_cluster_service druid_service{sys, cluster->druid_coordinator, cluster->druid_overlord};
  // A reset replaces every actor: the HTTP side follows the new ones.
  control->on_reset([&service, &druid_service](const actors::cluster& c) {
    service.retarget(c.router);
    druid_service.retarget(c.druid_coordinator, c.druid_overlord);
    spdlog::info("cluster reset: {} backends, {} tablets (seed {})", c.backends.size(), c.catalog.tablets.size(),
                 c.config.seed);
  });
  if (code == 0 && cfg->druid.enabled)
    code = listen_druid(kit, druid_service, cfg->druid);
  if (code == 0)
    code = listen_admin(kit, *control, recorded_cluster, cfg->seed, cfg->druid.enabled);
  caf::actor registry;
  std::unique_ptr<actors::node_gate> node_gate;
  if (code == 0 && !remote_slots.empty())
    code = open_node_port(sys, opts, join_offer_of(opts, *text, *cfg, remote_slots), *cluster, control, registry,
                          node_gate);
  if (code == 0) {
    server.start();
    spdlog::info("compactsim serving {} backends, {} tablets (seed {}); Ctrl-C stops", cluster->backends.size(),
                 cluster->catalog.tablets.size(), cfg->seed);
    auto sig = wait_for_stop_signal();
    spdlog::info("signal {} received, stopping", sig);
  }
  server.stop();
  if (!opts.record_file.empty() && code != 2)
    write_recording(opts, *recorder, recorded_cluster, cfg->seed);
  latency_timers->stop_all();
  node_gate.reset();
  if (registry)
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  control->shutdown();
  return code;
}

} // namespace compactsim::tools
