#include "sim/doris/config.hpp"

#include "sim/core/rng.hpp"

namespace compactsim::sim {

std::uint32_t derive_schema_hash(std::int64_t table_id) {
  auto h = static_cast<std::uint32_t>(mix64(static_cast<std::uint64_t>(table_id)) & 0x7fffffff);
  return h == 0 ? 1 : h;
}

} // namespace compactsim::sim
