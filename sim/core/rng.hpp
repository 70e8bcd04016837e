#pragma once
//! The one seeded source of randomness. SplitMix64 for seeding and
//! xoshiro256** for draws: fixed algorithms with fixed outputs on every
//! platform, unlike std:: distributions.

#include <array>
#include <cstdint>

namespace compactsim::sim {

/// Deterministic pseudo-random generator; copyable so forks are explicit.
class rng {
public:
  explicit rng(std::uint64_t seed = 0);

  std::uint64_t next();
  /// Uniform in [0, bound); 0 when bound is 0.
  std::uint64_t below(std::uint64_t bound);
  /// Uniform in [lo, hi] (inclusive).
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  /// Uniform in [0, 1).
  double unit();
  /// True with probability p.
  bool chance(double p);
  /// A new generator whose stream depends on this one's seed and `stream`.
  rng fork(std::uint64_t stream) const;

private:
  std::uint64_t seed_;
  std::array<std::uint64_t, 4> s_{};
};

/// Every seed a run derives from its one seed, a stream each: a new use
/// adds a name here and forks it, no file invents a constant of its own.
/// The values are part of the trace: renumbering one changes the digests.
enum class seed_stream : std::uint64_t {
  network = 1,        ///< link latencies and drops
  backend,            ///< a BE's generator, forked again by its backend id
  rowset_ids,         ///< a BE's rowset id prefix, forked from the BE's seed
  load_size,          ///< a load's size jitter, keyed by table and version
  load_timing,        ///< the FE's load schedule, forked again by workload
  druid_overlord,     ///< the overlord's task ids
  druid_coordinator,  ///< the coordinator's task ids
  druid_supervisors,  ///< the compaction supervisors' task ids
  faults,             ///< which nodes a fault picks
  scenario_choices,   ///< the values a scenario's ranges leave to the seed
  http_faults,        ///< serve's HTTP fault draws (probability, delay)
};

/// The generator for one use of `seed`: rng{seed}.fork(stream).
rng derive(std::uint64_t seed, seed_stream stream);
/// The seed for one use of `seed`: derive(seed, stream).next().
std::uint64_t derive_seed(std::uint64_t seed, seed_stream stream);

/// SplitMix64 step: a good 64-bit mixer, also used for derived ids.
std::uint64_t splitmix64(std::uint64_t& state);

/// Stateless 64-bit hash of a value (one SplitMix64 round).
std::uint64_t mix64(std::uint64_t x);

} // namespace compactsim::sim
