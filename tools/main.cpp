//! compactsim: a simulated Doris/Druid compaction cluster.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "tools/node_command.hpp"
#include "tools/run_command.hpp"
#include "tools/swarm_command.hpp"
#include "tools/shrink_command.hpp"
#include "tools/serve_command.hpp"
#include "sim/druid/cluster_config.hpp"

namespace {

using compactsim::tools::node_options;
using compactsim::tools::run_options;
using compactsim::tools::serve_options;
using compactsim::tools::shrink_options;
using compactsim::tools::swarm_options;

/// `serve`: the live cluster behind HTTP listeners.
CLI::App* add_serve(CLI::App& app, serve_options& serve) {
  auto* cmd = app.add_subcommand("serve", "Start the live cluster: one Doris BE HTTP listener per backend");
  cmd->add_option("--config", serve.config_file, "Cluster config (JSON); default: the built-in cluster")
    ->check(CLI::ExistingFile);
  cmd->add_option("--bind", serve.bind, "Address every listener binds")->capture_default_str();
  cmd->add_option("--doris-port", serve.doris_port, "Port of BE 0; BE i listens on this + i")
    ->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->add_option("--druid-port", serve.druid_port, "Port of the Druid router")
    ->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->add_option("--admin-port", serve.admin_port, "Port of the control API (faults, /readyz, /metrics)")
    ->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->add_option("--speed", serve.speed, "Simulated time runs this many times as fast as the wall clock")
    ->capture_default_str()->check(CLI::Range(0.001, 1e6));
  cmd->add_option("--auth", serve.auth, "USER:PASS that every listener demands (HTTP Basic); required off loopback");
  cmd->add_option("--max-body", serve.max_body, "Largest request body in bytes (413 beyond)")
    ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  cmd->add_option("--max-header", serve.max_header, "Largest request header in bytes (431 beyond)")
    ->capture_default_str()->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20));
  cmd->add_option("--read-timeout-ms", serve.read_timeout_ms, "Time to read one request")
    ->capture_default_str()->check(CLI::Range(100u, 3'600'000u));
  cmd->add_option("--idle-timeout-ms", serve.idle_timeout_ms, "Keep-alive idle time")
    ->capture_default_str()->check(CLI::Range(100u, 3'600'000u));
  cmd->add_option("--max-connections", serve.max_connections, "Concurrent connections per listener (more are closed on accept)")
    ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->add_option("--seed", serve.seed, "Seed of the cluster's random choices (default: the config's)");
  cmd->add_option("--druid-version", serve.druid_version,
                  "Druid release the router speaks: 30, or 31 for the compaction simulator (default: the config's, 30)")
    ->check(CLI::Range(compactsim::sim::druid_version_min, compactsim::sim::druid_version_max));
  cmd->add_flag("--druid-compaction-supervisors", serve.druid_compaction_supervisors,
               "Druid 31's druid.supervisor.compaction.enabled: autocompact supervisors on the overlord (needs --druid-version 31)");
  cmd->add_option("--record", serve.record_file,
                  "Record every request, fault and heal from the start; write them as a scenario file here at exit");
  cmd->add_option("--log-level", serve.log_level, "trace, debug, info, warn, error or off")
    ->capture_default_str()->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->add_option("--remote-backends", serve.remote_backends,
                  "The last N backends run in `compactsim node` processes that join on --node-port")
    ->capture_default_str();
  cmd->add_option("--node-port", serve.node_port, "Port (on --bind) where node processes join, with --remote-backends")
    ->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->add_option("--threads", serve.threads, "Worker threads for actors and for HTTP")
    ->capture_default_str()->check(CLI::Range(1, 64));
  return cmd;
}

/// `run`: one scenario on virtual time.
CLI::App* add_run(CLI::App& app, run_options& run) {
  auto* run_cmd = app.add_subcommand("run", "Run a scenario on virtual time; exit 0 only if every check held");
  run_cmd->add_option("file", run.file, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--seed", run.seed, "Seed (a number, or \"random\"); default: the scenario's");
  run_cmd->add_option("--trace", run.trace_file, "Write the trace here, one JSON event per line");
  run_cmd->add_option("--junit", run.junit_file, "Write JUnit XML here");
  run_cmd->add_option("--report", run.report_file, "Write a JSON report here");
  run_cmd->add_option("--html", run.html_file,
                      "Write a self-contained HTML report here: faults as bands, checked metrics as charts, every check");
  run_cmd->add_flag("--quiet", run.quiet, "Print only failures");
  run_cmd->add_flag("--check-determinism", run.check_determinism, "Run twice and compare the trace digests");
  run_cmd->add_option("--max-events", run.max_events,
                      "Work bound: stop with an error after this many simulated events (0: none)")
    ->capture_default_str();
  return run_cmd;
}

/// `node`: backends of a serve process, in this one. Its --log-level is
/// serve's, which main applies to every command.
CLI::App* add_node(CLI::App& app, node_options& node, serve_options& serve) {
  auto* node_cmd = app.add_subcommand("node", "Run backends in this process, joined to a serve process's cluster");
  node_cmd->add_option("--join", node.join, "HOST:PORT of serve's node port (serve --remote-backends N --node-port P)")
    ->required();
  node_cmd->add_option("--backends", node.backends, "How many of serve's remote backends to take")
    ->capture_default_str()->check(CLI::Range(1, 1024));
  node_cmd->add_option("--doris-port", node.doris_port, "As serve's: BE i listens on this + i")
    ->capture_default_str()->check(CLI::Range(1, 65535));
  node_cmd->add_option("--bind", node.bind, "Address the BE listeners bind")->capture_default_str();
  node_cmd->add_option("--auth", node.auth, "USER:PASS that every listener demands (HTTP Basic); required off loopback");
  node_cmd->add_option("--threads", node.threads, "Worker threads for actors and for HTTP")
    ->capture_default_str()->check(CLI::Range(1, 64));
  node_cmd->add_option("--log-level", serve.log_level, "trace, debug, info, warn, error or off")
    ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  return node_cmd;
}

/// `swarm`: scenarios under many seeds.
CLI::App* add_swarm(CLI::App& app, swarm_options& swarm) {
  auto* swarm_cmd = app.add_subcommand("swarm", "Run scenarios under many seeds in parallel processes; a tally, a "
                                                "summary and the replay command of each failure");
  swarm_cmd->add_option("files", swarm.files, "Scenario files")->required()->check(CLI::ExistingFile);
  swarm_cmd->add_option("--seeds", swarm.seeds, "Seeds 1..N")->capture_default_str()->check(CLI::Range(1, 1000000));
  swarm_cmd->add_option("--from", swarm.from, "First seed (with --to)");
  swarm_cmd->add_option("--to", swarm.to, "Last seed (with --from)");
  swarm_cmd->add_option("--jobs", swarm.jobs, "Runs at once (default: the cores)")->check(CLI::Range(1, 256));
  swarm_cmd->add_option("--junit", swarm.junit_file, "Write JUnit XML here: one testcase per scenario and seed");
  swarm_cmd->add_option("--html", swarm.html_dir, "Write an HTML report of every failing run into this folder");
  swarm_cmd->add_option("--time-budget", swarm.time_budget_s, "Start no run after this many seconds");
  return swarm_cmd;
}

/// `shrink`: the smallest scenario that still fails.
CLI::App* add_shrink(CLI::App& app, shrink_options& shrink) {
  auto* shrink_cmd = app.add_subcommand("shrink", "Make a failing run as small as it gets while it fails the same "
                                                  "check: drop steps, cut the run short, halve faults, fewer BEs and tables");
  shrink_cmd->add_option("file", shrink.file, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  shrink_cmd->add_option("--seed", shrink.seed, "The failing seed (default: the file's)");
  shrink_cmd->add_option("--out", shrink.out, "Write the smallest scenario here (default: <file>-seed<N>.min.json)");
  return shrink_cmd;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"compactsim: a simulated Apache Doris / Apache Druid compaction cluster"};
  app.require_subcommand(1);
  serve_options serve;
  auto* cmd = add_serve(app, serve);
  run_options run;
  auto* run_cmd = add_run(app, run);
  node_options node;
  auto* node_cmd = add_node(app, node, serve);
  swarm_options swarm;
  auto* swarm_cmd = add_swarm(app, swarm);
  shrink_options shrink;
  auto* shrink_cmd = add_shrink(app, shrink);

  std::string validate_file;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file without running it");
  validate_cmd->add_option("file", validate_file, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(serve.log_level));
  if (cmd->parsed())
    return compactsim::tools::run_serve(serve);
  if (node_cmd->parsed())
    return compactsim::tools::run_node(node);
  try {
    if (run_cmd->parsed())
      return compactsim::tools::run_scenario_command(run);
    if (swarm_cmd->parsed())
      return compactsim::tools::swarm_command(swarm);
    if (shrink_cmd->parsed())
      return compactsim::tools::shrink_command(shrink);
    if (validate_cmd->parsed())
      return compactsim::tools::validate_command(validate_file);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
  return 2;
}
