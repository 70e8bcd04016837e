#pragma once
//! A small backend for the sim/backend tests: three tables (merge-on-write,
//! duplicate keys, merge-on-read), loads and a way to finish every task.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/doris/backend.hpp"

namespace compactsim::test::backend {

namespace sim = compactsim::sim;

constexpr sim::time_ms t0 = 1'735'689'600'000;
constexpr std::int64_t mow_table = 10104;
constexpr std::int64_t dup_table = 10200;
constexpr std::int64_t mor_table = 10300; ///< unique keys, merge on read

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// A one-disk backend with three tables and no tablets yet.
inline sim::backend_model make_backend(sim::doris_knobs k = {}, std::uint64_t seed = 42, std::uint16_t disks = 1) {
  sim::backend_model be(10001, k, disks, seed);
  be.add_table({mow_table, "orders_mow", sim::keys_type::unique_keys, true, false, 700967178});
  be.add_table({dup_table, "events_dup", sim::keys_type::dup_keys, false, false, 11});
  be.add_table({mor_table, "orders_mor", sim::keys_type::unique_keys, false, false, 12});
  return be;
}

inline sim::load_spec spec(std::int64_t version, double superseding = 0, std::int64_t rows = 1000) {
  sim::load_spec l;
  l.version = version;
  l.rows = rows;
  l.bytes_per_row = 100;
  l.superseding_ratio = superseding;
  return l;
}

/// Publishes versions [from..to] into every replica of the table.
inline void loads(sim::backend_model& be, std::int64_t table, std::int64_t from, std::int64_t to, sim::time_ms now,
           double superseding = 0) {
  for (auto v = from; v <= to; ++v)
    be.commit_load(table, spec(v, superseding), now);
}

/// Finishes every in-flight task (in id order) and those they release.
inline void finish_all(sim::backend_model& be, sim::time_ms now) {
  while (!be.tasks().empty()) {
    std::vector<sim::started_task> next;
    be.finish(be.tasks().begin()->first, now, false, next);
  }
}

} // namespace compactsim::test::backend
