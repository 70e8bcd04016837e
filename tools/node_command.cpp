#include "tools/node_command.hpp"

#include <atomic>
#include <csignal>
#include <unistd.h>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/doris/backend_node.hpp"
#include "actors/doris/cluster_service.hpp"
#include "actors/node_link.hpp"
#include "actors/remote.hpp"
#include "actors/doris/router.hpp"
#include "http/basic_auth.hpp"
#include "http/doris/be_api.hpp"
#include "http/server.hpp"
#include "sim/doris/bootstrap.hpp"
#include "tools/serve_command.hpp"
#include "tools/fd_limit.hpp"
#include "tools/stop_signals.hpp"

namespace compactsim::tools {

namespace {

constexpr int exit_usage = 2;

/// The node's BEs: restarts one after a crash fault and attaches it again;
/// stops the process when the serve process goes away.
struct host_state {
  std::vector<std::int32_t> slots;
  std::vector<std::shared_ptr<sim::backend_model>> models; ///< by position in slots
  std::vector<actors::backend_actor> bes;
  actors::router_actor router;                             ///< local indexes (position in slots)
  actors::sim_clock clock;
  caf::actor registry;
  /// Per position: the BE is dead (a crash fault) until restarted. Its port
  /// then closes connections, as a dead BE process's would. Read by HTTP threads.
  std::shared_ptr<std::vector<std::atomic<bool>>> down;
  /// The BEs' current handles, shared with the exit hook (which outlives the state).
  std::shared_ptr<std::vector<actors::backend_actor>> current;

  static inline const char* name = "node-host";
};

void attach(caf::stateful_actor<host_state>* self, std::size_t k) {
  auto slot = self->state.slots[k];
  self->request(self->state.registry, std::chrono::seconds{10}, actors::attach_atom::value, slot, self->state.bes[k])
    .then([slot](bool ok) {
            if (ok)
              spdlog::info("be:{} attached", slot);
            else
              spdlog::error("serve refused be:{}", slot);
          },
          [slot](const caf::error& e) { spdlog::error("attaching be:{} failed: {}", slot, caf::to_string(e)); });
}

caf::behavior node_host(caf::stateful_actor<host_state>* self, host_state init) {
  self->state = std::move(init);
  self->monitor(self->state.registry);
  for (const auto& be : self->state.bes)
    self->monitor(be);
  self->set_down_handler([=](caf::down_msg& down) {
    auto& st = self->state;
    for (std::size_t k = 0; k < st.bes.size(); ++k)
      if (down.source == st.bes[k].address())
        (*st.down)[k] = true;
    if (down.source != st.registry.address())
      return;
    spdlog::error("the serve process went away; stopping");
    ::kill(::getpid(), SIGTERM); // to the process: main's sigwait takes it
  });
  // The BEs stop with the host (at shutdown), whichever incarnation is
  // current. The functor runs after the state is destroyed, so it reads the
  // handles from a list of its own that respawns keep up to date.
  auto current = std::make_shared<std::vector<actors::backend_actor>>(self->state.bes);
  self->state.current = current;
  self->attach_functor([current](const caf::error&) {
    for (const auto& be : *current)
      caf::anon_send_exit(be, caf::exit_reason::user_shutdown);
  });
  for (std::size_t k = 0; k < self->state.slots.size(); ++k)
    attach(self, k);
  return {
    [=](actors::respawn_atom, std::int32_t slot) {
      auto& st = self->state;
      for (std::size_t k = 0; k < st.slots.size(); ++k)
        if (st.slots[k] == slot) {
          st.bes[k] = self->spawn(actors::backend_node, st.models[k], st.clock);
          (*st.current)[k] = st.bes[k];
          self->monitor(st.bes[k]);
          (*st.down)[k] = false;
          caf::anon_send(st.router, actors::set_backend_atom::value, static_cast<std::int32_t>(k), st.bes[k]);
          attach(self, k);
        }
    },
  };
}

/// Reads --join's HOST:PORT; false (logged) when it is not one.
bool parse_join(const std::string& join, std::string& host, std::uint16_t& port) {
  auto colon = join.rfind(':');
  try {
    auto p = colon == std::string::npos ? -1 : std::stoi(join.substr(colon + 1));
    if (p < 1 || p > 65535)
      throw std::out_of_range("port");
    port = static_cast<std::uint16_t>(p);
  } catch (const std::exception&) {
    spdlog::error("--join expects HOST:PORT, got '{}'", join);
    return false;
  }
  host = join.substr(0, colon);
  return true;
}

/// Binding off loopback needs credentials, and credentials must be USER:PASS.
bool auth_ok(const node_options& opts) {
  auto refusal = http::bind_refusal(opts.bind, opts.auth);
  if (!refusal.empty())
    spdlog::error("{}", refusal);
  return refusal.empty();
}

/// The host's starting state: a BE actor over each offered slot's model
/// (taken out of `models`), and the router over them.
host_state make_host(caf::actor_system& sys, const actors::join_offer& offer, std::vector<sim::backend_model>& models,
                     const actors::sim_clock& clock, const caf::actor& registry) {
  host_state init;
  init.down = std::make_shared<std::vector<std::atomic<bool>>>(offer.slots.size());
  init.slots = offer.slots;
  init.clock = clock;
  init.registry = registry;
  for (auto slot : offer.slots) {
    init.models.push_back(std::make_shared<sim::backend_model>(std::move(models.at(static_cast<std::size_t>(slot)))));
    init.bes.push_back(sys.spawn(actors::backend_node, init.models.back(), clock));
  }
  models.clear();
  init.router = sys.spawn(actors::router, init.bes);
  return init;
}

/// serve's limits, so that a BE here is as bounded as one in serve.
http::server_limits offered_limits(const actors::join_offer& offer) {
  http::server_limits limits;
  limits.body_limit = static_cast<std::size_t>(offer.body_limit);
  limits.header_limit = static_cast<std::size_t>(offer.header_limit);
  limits.read_timeout = std::chrono::milliseconds{offer.read_timeout_ms};
  limits.idle_timeout = std::chrono::milliseconds{offer.idle_timeout_ms};
  limits.max_connections = static_cast<std::size_t>(offer.max_connections);
  return limits;
}

/// One listener per BE of this node, on serve's port layout. 0, or 1 once a
/// port cannot be bound.
int listen_local_backends(http::server& server, std::vector<std::unique_ptr<http::route_table>>& tables,
                          actors::doris_cluster_service& service, const node_options& opts,
                          const actors::join_offer& offer, const sim::catalog& catalog,
                          const std::shared_ptr<std::vector<std::atomic<bool>>>& down) {
  int code = 0;
  for (std::size_t k = 0; k < offer.slots.size() && code == 0; ++k) {
    tables.push_back(std::make_unique<http::route_table>(http::make_doris_routes(service, static_cast<int>(k))));
    http::dispatcher d = [&table = *tables.back(), down, k](http::request req, http::responder r) {
      if ((*down)[k]) {
        http::response dead;
        dead.drop_connection = true;
        return r(std::move(dead));
      }
      table.dispatch(req, std::move(r));
    };
    if (!opts.auth.empty())
      d = http::with_basic_auth(std::move(d), opts.auth);
    boost::system::error_code ec;
    auto p = static_cast<std::uint16_t>(opts.doris_port + offer.slots[k]);
    server.listen(opts.bind, p, std::move(d), ec, {}, http::read_timeout_answer::close);
    if (ec) {
      spdlog::error("cannot listen on {}:{}: {}", opts.bind, p, ec.message());
      code = 1;
    } else {
      spdlog::info("be:{} (backend_id {}) answers on http://{}:{}", offer.slots[k],
                   catalog.backend_ids[static_cast<std::size_t>(offer.slots[k])], opts.bind, p);
    }
  }
  return code;
}

} // namespace

int run_node(const node_options& opts) {
  raise_fd_limit();
  block_stop_signals();

  std::string host;
  std::uint16_t port = 0;
  if (!parse_join(opts.join, host, port))
    return exit_usage;
  if (!auth_ok(opts))
    return exit_usage;
  caf::actor_system_config sys_cfg;
  sys_cfg.set("scheduler.max-threads", static_cast<std::size_t>(opts.threads));
  sys_cfg.set("logger.console-verbosity", caf::atom("quiet"));
  actors::enable_remote(sys_cfg);
  caf::actor_system sys{sys_cfg};
  std::string error;
  auto registry = actors::join_gate(sys, host, port, opts.auth, {}, error);
  if (!registry) {
    spdlog::error("cannot join serve at {}: {}", opts.join, error);
    return 1;
  }
  // Ask for backends; the offer says which, and how serve built them. The
  // asking actor lives as long as the process: serve holds the offered
  // slots for it (and only its BEs may attach there) while it lives.
  std::optional<actors::join_offer> offer;
  caf::scoped_actor joiner{sys};
  joiner->request(*registry, std::chrono::seconds{10}, actors::join_atom::value, static_cast<std::int32_t>(opts.backends))
    .receive([&](actors::join_offer& o) { offer = std::move(o); }, [&](const caf::error& e) { error = sys.render(e); });
  if (!offer) {
    spdlog::error("serve at {} did not take this node: {}", opts.join, error);
    return 1;
  }
  auto cfg = parse_config_text(offer->config_text, "from serve", error);
  if (!cfg) {
    spdlog::error("{}", error);
    return 1;
  }
  cfg->seed = offer->seed;
  cfg->epoch_ms = offer->epoch_ms;
  auto catalog = sim::build_catalog(cfg->doris, error);
  if (!catalog) {
    spdlog::error("cannot build the cluster: {}", error);
    return 1;
  }
  // The same config and seed give the same backends serve would have built.
  auto models = sim::build_backends(cfg->doris, cfg->seed, *catalog, cfg->epoch_ms);
  actors::sim_clock clock{offer->now_ms, sys.clock().now()};
  if (offer->speed != 1.0)
    clock.set_speed(offer->speed, sys.clock());
  auto init = make_host(sys, *offer, models, clock, *registry);
  auto down = init.down;
  auto router = init.router;
  auto host_actor = sys.spawn(node_host, std::move(init));

  actors::doris_cluster_service service{sys, router, offer->slots.size(), cfg->doris.profile};
  http::server server{offered_limits(*offer), opts.threads};
  std::vector<std::unique_ptr<http::route_table>> tables;
  int code = listen_local_backends(server, tables, service, opts, *offer, *catalog, down);
  if (code == 0) {
    server.start();
    auto sig = wait_for_stop_signal();
    spdlog::info("signal {} received, stopping", sig);
  }
  server.stop();
  caf::anon_send_exit(host_actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
  return code;
}

} // namespace compactsim::tools
