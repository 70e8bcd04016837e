#include "sim/core/rng.hpp"

namespace compactsim::sim {

namespace {
__extension__ using u128 = unsigned __int128;

constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
} // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t mix64(std::uint64_t x) {
  return splitmix64(x);
}

rng::rng(std::uint64_t seed) : seed_(seed) {
  std::uint64_t state = seed;
  for (auto& word : s_)
    word = splitmix64(state);
}

std::uint64_t rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t rng::below(std::uint64_t bound) {
  if (bound == 0)
    return 0;
  // Lemire's multiply-shift with rejection: unbiased and fast.
  while (true) {
    u128 m = static_cast<u128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low >= (-bound) % bound)
      return static_cast<std::uint64_t>(m >> 64);
  }
}

std::int64_t rng::between(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo)
    return lo;
  auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(span == 0 ? next() : below(span));
}

double rng::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

bool rng::chance(double p) {
  if (p <= 0)
    return false;
  if (p >= 1)
    return true;
  return unit() < p;
}

rng rng::fork(std::uint64_t stream) const {
  return rng{mix64(seed_ ^ mix64(stream + 1))};
}

rng derive(std::uint64_t seed, seed_stream stream) {
  return rng{seed}.fork(static_cast<std::uint64_t>(stream));
}

std::uint64_t derive_seed(std::uint64_t seed, seed_stream stream) {
  return derive(seed, stream).next();
}

} // namespace compactsim::sim
