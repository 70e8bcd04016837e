#include "tools/swarm_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "scenarios/report.hpp"

extern char** environ;

namespace compactsim::tools {

namespace {

namespace json = boost::json;
using scenarios::xml_escape;

/// One run of one scenario under one seed, in its own process.
struct job {
  std::string file;
  std::uint64_t seed = 0;
  std::string report;     ///< the run's --report file
  std::string html;       ///< the run's --html file ("" without --html); kept only when it failed
  pid_t pid = -1;
  int exit_code = -1;     ///< 0 passed, 1 failed, else the run broke
  std::string first_failure; ///< the first failing check, "kind name: message"
  double seconds = 0;
  std::chrono::steady_clock::time_point started;
};

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"compactsim"} : p.string();
}

bool start(job& j, const std::string& exe) {
  std::vector<std::string> args{exe, "run", j.file, "--seed", std::to_string(j.seed), "--report", j.report, "--quiet"};
  if (!j.html.empty()) {
    args.push_back("--html");
    args.push_back(j.html);
  }
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // The run's own output goes nowhere: the swarm prints what matters.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  j.started = std::chrono::steady_clock::now();
  bool ok = posix_spawn(&j.pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0;
  posix_spawn_file_actions_destroy(&actions);
  return ok;
}

void read_report(job& j) {
  std::ifstream in{j.report};
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(text.str(), ec);
  std::filesystem::remove(j.report);
  if (ec || !v.is_object())
    return;
  for (const auto& c : v.at("checks").as_array())
    if (!c.at("passed").as_bool()) {
      j.first_failure = std::string{c.at("kind").as_string()} + " " + std::string{c.at("name").as_string()} + ": " +
                        std::string{c.at("message").as_string()};
      return;
    }
}

std::string replay(const job& j) { return "compactsim run " + j.file + " --seed " + std::to_string(j.seed); }


void write_junit(const std::string& path, const std::vector<job>& jobs) {
  std::map<std::string, std::vector<const job*>> by_file;
  for (const auto& j : jobs)
    if (j.exit_code >= 0)
      by_file[j.file].push_back(&j);
  std::ofstream out{path};
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"compactsim swarm\">\n";
  for (const auto& [file, runs] : by_file) {
    std::size_t failures = 0;
    for (const auto* j : runs)
      failures += j->exit_code != 0 ? 1 : 0;
    out << "  <testsuite name=\"" << xml_escape(file) << "\" tests=\"" << runs.size() << "\" failures=\"" << failures
        << "\" errors=\"0\" skipped=\"0\">\n";
    for (const auto* j : runs) {
      char time[32];
      std::snprintf(time, sizeof time, "%.3f", j->seconds);
      out << "    <testcase classname=\"" << xml_escape(file) << "\" name=\"seed " << j->seed << "\" time=\"" << time
          << "\"";
      if (j->exit_code == 0) {
        out << "/>\n";
        continue;
      }
      auto what = j->first_failure.empty() ? "the run exited " + std::to_string(j->exit_code) : j->first_failure;
      out << ">\n      <failure message=\"" << xml_escape(what) << "\">" << xml_escape(what)
          << "; replay: " << xml_escape(replay(*j)) << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

/// The seeds to run: --from..--to, or 1..--seeds; nullopt (reported) when
/// --from is past --to.
std::optional<std::vector<std::uint64_t>> seed_list(const swarm_options& opts) {
  std::vector<std::uint64_t> seeds;
  if (opts.to > 0) {
    if (opts.from > opts.to) {
      std::fprintf(stderr, "compactsim: --from must not be past --to\n");
      return std::nullopt;
    }
    for (auto s = opts.from; s <= opts.to; ++s)
      seeds.push_back(s);
  } else {
    for (std::uint64_t s = 1; s <= opts.seeds; ++s)
      seeds.push_back(s);
  }
  return seeds;
}

/// Every scenario under every seed; reports go to `dir`, HTML pages to --html.
std::vector<job> make_jobs(const swarm_options& opts, const std::vector<std::uint64_t>& seeds,
                           const std::filesystem::path& dir) {
  std::vector<job> jobs;
  for (const auto& f : opts.files)
    for (auto s : seeds)
      {
        job j;
        j.file = f;
        j.seed = s;
        j.report = (dir / (std::to_string(jobs.size()) + ".json")).string();
        if (!opts.html_dir.empty())
          j.html = (std::filesystem::path{opts.html_dir} /
                    (std::filesystem::path{f}.stem().string() + "-seed" + std::to_string(s) + ".html"))
                     .string();
        jobs.push_back(std::move(j));
      }
  return jobs;
}

/// Runs the jobs, --jobs at a time, until all ran or the time budget is
/// spent, printing each as it ends. False when a run cannot be started.
bool run_jobs(std::vector<job>& jobs, const swarm_options& opts, std::size_t& done, std::size_t& failed) {
  unsigned width = opts.jobs > 0 ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  auto exe = self_exe();
  auto began = std::chrono::steady_clock::now();
  std::size_t next = 0, running = 0;
  std::map<pid_t, std::size_t> by_pid;
  auto out_of_time = [&] {
    return opts.time_budget_s > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count() > opts.time_budget_s;
  };
  while (done < jobs.size()) {
    while (running < width && next < jobs.size() && !out_of_time()) {
      auto& j = jobs[next];
      if (!start(j, exe)) {
        std::fprintf(stderr, "compactsim: cannot start a run of %s\n", j.file.c_str());
        return false;
      }
      by_pid[j.pid] = next++;
      ++running;
    }
    if (running == 0)
      break; // the time budget ran out
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    auto it = by_pid.find(pid);
    if (it == by_pid.end())
      continue;
    auto& j = jobs[it->second];
    by_pid.erase(it);
    --running;
    ++done;
    j.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    j.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - j.started).count();
    read_report(j);
    if (j.exit_code != 0)
      ++failed;
    else if (!j.html.empty())
      std::filesystem::remove(j.html); // only the failures are worth a page
    std::printf("[%zu/%zu] %s seed %llu: %s%s%s\n", done, jobs.size(), j.file.c_str(),
                static_cast<unsigned long long>(j.seed), j.exit_code == 0 ? "passed" : "FAILED",
                j.first_failure.empty() ? "" : ": ", j.first_failure.c_str());
    std::fflush(stdout);
  }
  return true;
}

/// Per scenario: runs, passed, failed by the first failing check; then the
/// replay command of each failure, and the runs the budget left out.
void print_summary(const swarm_options& opts, const std::vector<job>& jobs, std::size_t done, std::size_t failed) {
  std::printf("\n%-44s %6s %6s %6s  first failing checks\n", "scenario", "runs", "passed", "failed");
  for (const auto& f : opts.files) {
    std::size_t runs = 0, ok = 0;
    std::map<std::string, std::size_t> by_check;
    for (const auto& j : jobs)
      if (j.file == f && j.exit_code >= 0) {
        ++runs;
        ok += j.exit_code == 0 ? 1 : 0;
        if (j.exit_code != 0)
          ++by_check[j.first_failure.substr(0, j.first_failure.find(':'))];
      }
    std::string checks;
    for (const auto& [c, n] : by_check)
      checks += (checks.empty() ? "" : ", ") + c + " x" + std::to_string(n);
    std::printf("%-44s %6zu %6zu %6zu  %s\n", f.c_str(), runs, ok, runs - ok, checks.c_str());
  }
  if (failed > 0) {
    std::printf("\nreplay the failures:\n");
    for (const auto& j : jobs)
      if (j.exit_code > 0)
        std::printf("  %s%s%s\n", replay(j).c_str(), j.html.empty() ? "" : "   # report: ", j.html.c_str());
  }
  if (done < jobs.size())
    std::printf("\n%zu of %zu runs not started: the time budget ran out\n", jobs.size() - done, jobs.size());
}

} // namespace

int swarm_command(const swarm_options& opts) {
  auto seeds = seed_list(opts);
  if (!seeds)
    return 2;
  if (!opts.html_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opts.html_dir, ec);
    if (ec) {
      std::fprintf(stderr, "compactsim: cannot create %s: %s\n", opts.html_dir.c_str(), ec.message().c_str());
      return 2;
    }
  }
  auto dir = std::filesystem::temp_directory_path() / ("compactsim-swarm-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto jobs = make_jobs(opts, *seeds, dir);
  std::size_t done = 0, failed = 0;
  if (!run_jobs(jobs, opts, done, failed))
    return 2;
  std::filesystem::remove_all(dir);

  print_summary(opts, jobs, done, failed);
  if (!opts.junit_file.empty())
    write_junit(opts.junit_file, jobs);
  std::printf("%zu passed, %zu failed\n", done - failed, failed);
  return failed > 0 ? 1 : 0;
}

} // namespace compactsim::tools
