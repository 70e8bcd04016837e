#include "tools/run_command.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "scenarios/report.hpp"
#include "scenarios/html_report.hpp"
#include "scenarios/runner.hpp"

namespace compactsim::tools {

namespace {

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::optional<scenarios::scenario> load(const std::string& file, std::optional<std::uint64_t> seed) {
  auto text = read_file(file);
  if (!text) {
    std::fprintf(stderr, "compactsim: cannot read scenario '%s'\n", file.c_str());
    return std::nullopt;
  }
  std::string error;
  auto sc = scenarios::parse_scenario(*text, seed, error);
  if (!sc)
    std::fprintf(stderr, "compactsim: %s: %s\n", file.c_str(), error.c_str());
  else
    sc->file = file;
  return sc;
}

} // namespace

int validate_command(const std::string& file) {
  auto sc = load(file, std::nullopt);
  if (!sc)
    return exit_usage;
  std::printf("%s: valid (%s, %zu steps, duration %s)\n", file.c_str(), sc->name.c_str(), sc->steps.size(),
              scenarios::format_duration(sc->duration).c_str());
  return 0;
}

int run_scenario_command(const run_options& opts) {
  std::optional<std::uint64_t> seed;
  if (opts.seed == "random") {
    // The one place a run takes entropy; the chosen seed is printed and decides everything else.
    std::random_device rd;
    seed = (static_cast<std::uint64_t>(rd()) << 32 | rd()) % 1'000'000'000ULL;
  } else if (!opts.seed.empty()) {
    try {
      // std::stoull would take "-5" as 18446744073709551611: a seed is digits.
      if (opts.seed.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("not a number");
      seed = std::stoull(opts.seed);
    } catch (const std::exception&) {
      std::fprintf(stderr, "compactsim: --seed expects a number or \"random\", got '%s'\n", opts.seed.c_str());
      return exit_usage;
    }
  }
  auto sc = load(opts.file, seed);
  if (!sc)
    return exit_usage;
  if (!opts.quiet) {
    std::printf("running %s with seed %llu\n", sc->name.c_str(), static_cast<unsigned long long>(sc->seed));
    for (const auto& [path, value] : sc->resolved)
      std::printf("  swarm: %s = %s\n", path.c_str(), value.c_str());
    std::fflush(stdout);
  }
  // An output that cannot be written fails before the run, not silently after it.
  for (const auto* out : {&opts.trace_file, &opts.junit_file, &opts.report_file, &opts.html_file})
    if (!out->empty() && !std::ofstream{*out, std::ios::app}) {
      std::fprintf(stderr, "compactsim: cannot write %s\n", out->c_str());
      return exit_usage;
    }
  scenarios::run_options ro;
  ro.trace_file = opts.trace_file;
  ro.progress = !opts.quiet && isatty(STDERR_FILENO);
  ro.progress_lines_every_s = !ro.progress ? 5.0 : 0.0; // CI logs: a line every 5 s of a long run
  ro.record_series = !opts.html_file.empty();
  ro.max_events = opts.max_events;
  auto result = scenarios::run_scenario(*sc, ro);
  int code = result.passed ? 0 : exit_failed;
  if (opts.check_determinism) {
    scenarios::run_options again;
    again.max_events = opts.max_events;
    auto second = scenarios::run_scenario(*sc, again);
    bool same = second.trace_digest == result.trace_digest;
    std::printf("determinism: trace digests %s and %s: %s\n", result.trace_digest.c_str(), second.trace_digest.c_str(),
                same ? "identical" : "DIFFERENT");
    if (!same)
      code = exit_failed;
  }
  if (!opts.quiet || !result.passed)
    std::printf("%s", scenarios::summary_table(*sc, result, opts.quiet).c_str());
  if (!result.passed)
    std::printf("replay: compactsim run %s --seed %llu\n", opts.file.c_str(), static_cast<unsigned long long>(sc->seed));
  if (!opts.junit_file.empty() && !write_file(opts.junit_file, scenarios::junit_xml(*sc, result))) {
    std::fprintf(stderr, "compactsim: cannot write %s\n", opts.junit_file.c_str());
    return exit_usage;
  }
  if (!opts.report_file.empty() && !write_file(opts.report_file, scenarios::report_json(*sc, result))) {
    std::fprintf(stderr, "compactsim: cannot write %s\n", opts.report_file.c_str());
    return exit_usage;
  }
  if (!opts.html_file.empty() && !write_file(opts.html_file, scenarios::html_report(*sc, result))) {
    std::fprintf(stderr, "compactsim: cannot write %s\n", opts.html_file.c_str());
    return exit_usage;
  }
  return code;
}

} // namespace compactsim::tools
