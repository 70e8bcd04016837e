#include "sim/doris/config.hpp"

#include "sim/core/rng.hpp"

namespace compactsim::sim {

const char* to_string(api_profile p) {
  switch (p) {
    case api_profile::docs: return "docs";
    case api_profile::v2_1: return "2.1";
    case api_profile::v3_0: return "3.0";
  }
  return "docs";
}

std::uint32_t derive_schema_hash(std::int64_t table_id) {
  auto h = static_cast<std::uint32_t>(mix64(static_cast<std::uint64_t>(table_id)) & 0x7fffffff);
  return h == 0 ? 1 : h;
}

} // namespace compactsim::sim
