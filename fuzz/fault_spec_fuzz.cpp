//! libFuzzer target: the fault spec reader shared by scenario steps and
//! POST /sim/v1/faults. Accepted faults keep their documented ranges.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <variant>

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
  if (v.as_object().at("kind").as_string() != sim::to_string(f.kind()))
    std::abort();
  if (f.duration && *f.duration < 0)
    std::abort();
  namespace faults = sim::faults;
  bool in_range = std::visit(
    [](const auto& p) {
      using P = std::decay_t<decltype(p)>;
      if constexpr (requires { p.probability; })
        return p.probability >= 0 && p.probability <= 1;
      else if constexpr (std::is_same_v<P, faults::slow_disk>)
        return p.factor >= 1 && p.factor <= 1e6;
      else if constexpr (std::is_same_v<P, faults::delay>)
        return p.delay >= 0 && p.jitter >= 0;
      else if constexpr (std::is_same_v<P, faults::corrupt_delete_bitmap>)
        return p.rows >= 1 && p.table > 0;
      else
        return true;
    },
    f.params);
  if (!in_range)
    std::abort();
  return 0;
}
