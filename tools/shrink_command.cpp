#include "tools/shrink_command.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "scenarios/shrink.hpp"

namespace compactsim::tools {

int shrink_command(const shrink_options& opts) {
  std::optional<std::uint64_t> seed;
  if (!opts.seed.empty()) {
    if (opts.seed.find_first_not_of("0123456789") != std::string::npos || opts.seed.size() > 19) {
      std::fprintf(stderr, "compactsim: --seed expects a number, got '%s'\n", opts.seed.c_str());
      return 2;
    }
    seed = std::stoull(opts.seed);
  }
  std::ifstream in{opts.file, std::ios::binary};
  if (!in) {
    std::fprintf(stderr, "compactsim: cannot read scenario '%s'\n", opts.file.c_str());
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto say = [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  auto r = scenarios::shrink_scenario(text.str(), seed, say, error);
  if (!r) {
    std::fprintf(stderr, "compactsim: %s: %s\n", opts.file.c_str(), error.c_str());
    return 2;
  }
  auto chosen = r->minimal.as_object().at("seed").to_number<std::uint64_t>();
  if (!r->failed) {
    std::printf("%s passes with seed %llu: nothing to shrink\n", opts.file.c_str(),
                static_cast<unsigned long long>(chosen));
    return 1;
  }
  auto out = opts.out;
  if (out.empty())
    out = std::filesystem::path{opts.file}.stem().string() + "-seed" + std::to_string(chosen) + ".min.json";
  std::ofstream file{out, std::ios::binary | std::ios::trunc};
  file << "// " << r->minimal.as_object().at("description").as_string().c_str() << "\n"
       << scenarios::pretty_json(r->minimal);
  if (!file.flush()) {
    std::fprintf(stderr, "compactsim: cannot write %s\n", out.c_str());
    return 2;
  }
  std::printf("%d of the reductions kept the failure (%d runs); the smallest scenario is %s\n", r->kept, r->runs,
              out.c_str());
  std::printf("replay: compactsim run %s\n", out.c_str());
  return 0;
}

} // namespace compactsim::tools
