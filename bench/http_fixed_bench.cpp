// The baseline for the live API's speed: compactsim's Beast server (the same
// listener, parser and connection handling as `serve`) answering a fixed
// body with no cluster behind it. bench/live_bench.sh puts wrk on it and on
// a real serve's run_status, so the ratio is the cost of the cluster round
// trip. Listens on 127.0.0.1 only and stops by itself.
// Usage: bench_http_fixed PORT SECONDS

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "http/server.hpp"

int main(int argc, char** argv) {
  using namespace compactsim;
  auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 18080);
  int seconds = argc > 2 ? std::atoi(argv[2]) : 15;
  http::server server{{}, 2};
  // The size of a run_status answer: {"status": "Success", "run_status": false, ...}.
  const std::string body =
    R"({"status" : "Success", "run_status" : false, "msg" : "compaction task for this tablet is not running", "tablet_id" : 10015, "compact_type" : "cumulative"})";
  boost::system::error_code ec;
  server.listen("127.0.0.1", port, [&body](http::request, http::responder r) { r(http::response::json(200, body)); }, ec);
  if (ec) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1:%u: %s\n", port, ec.message().c_str());
    return 1;
  }
  server.start();
  std::printf("fixed body on http://127.0.0.1:%u for %d s\n", port, seconds);
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::seconds{seconds});
  server.stop();
  return 0;
}
