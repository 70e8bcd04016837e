//! libFuzzer target: the fault spec reader shared by scenario steps and
//! POST /sim/v1/faults. Accepted faults keep their documented ranges.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>

#include "config/fault_reader.hpp"

using namespace compactsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  auto v = boost::json::parse({reinterpret_cast<const char*>(data), size}, ec);
  if (ec)
    return 0;
  sim::fault_spec f;
  std::string error;
  if (!config::parse_fault(v, "fault", f, error)) {
    if (error.empty())
      std::abort();
    return 0;
  }
  // The ranges the reader promises (a compaction's time stays a number).
  // The kind read is the kind named.
  if (v.as_object().at("kind").as_string() != sim::to_string(f.kind))
    std::abort();
  if (f.rows < 1 || !(f.factor >= 1 && f.factor <= 1e6) ||
      !(f.probability >= 0 && f.probability <= 1) || (f.duration && *f.duration < 0) || f.delay < 0 || f.jitter < 0)
    std::abort();
  return 0;
}
