//! libFuzzer target: the cluster config reader (serve --config, a reset's
//! "cluster", a scenario's "cluster"), as serve reads it: JSON with
//! comments and trailing commas. A refusal must say why.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>

#include "config/cluster_reader.hpp"

using namespace compactsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::json::parse_options po;
  po.allow_comments = true;
  po.allow_trailing_commas = true;
  boost::system::error_code ec;
  auto v = boost::json::parse({reinterpret_cast<const char*>(data), size}, ec, {}, po);
  if (ec)
    return 0;
  std::string error;
  auto cfg = config::parse_cluster_config(v, error);
  if (!cfg && error.empty())
    std::abort();
  return 0;
}
