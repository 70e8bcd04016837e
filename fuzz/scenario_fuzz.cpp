//! libFuzzer target: the scenario file reader (comments, trailing commas,
//! ranges resolved by the seed, every step kind) and the fixed document
//! shrink writes. A file it accepts must parse again from its fixed form.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>

#include "scenarios/scenario.hpp"

using namespace compactsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text{reinterpret_cast<const char*>(data), size};
  std::string error;
  auto sc = scenarios::parse_scenario(text, 7, error);
  if (!sc) {
    if (error.empty())
      std::abort(); // a refusal must say why
    return 0;
  }
  auto fixed = scenarios::fixed_document(text, 7, error);
  if (!fixed)
    std::abort(); // it parsed: its fixed form must exist
  auto again = scenarios::parse_scenario(boost::json::serialize(*fixed), std::nullopt, error);
  if (!again || again->steps.size() != sc->steps.size() || again->duration != sc->duration)
    std::abort(); // and mean the same run
  return 0;
}
