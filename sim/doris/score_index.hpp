#pragma once
//! The producer's view of a disk's tablets: replica indexes by score,
//! highest score first and, within a score, lowest index first (the order
//! Doris's tablet manager walks its candidates in is by score; ties go to
//! the older replica). A load moves each replica of its table up by one, so
//! the index is a vector of buckets, one per score, each a sorted vector:
//! a move is two small memmoves, where a balanced tree rebalanced and
//! reallocated for every replica of every load.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace compactsim::sim {

class score_index {
public:
  /// Adds `idx` at `score` (> 0).
  void insert(std::uint32_t score, std::uint32_t idx) {
    if (score >= buckets_.size())
      buckets_.resize(score + 1);
    auto& b = buckets_[score];
    b.insert(std::lower_bound(b.begin(), b.end(), idx), idx);
    top_ = std::max(top_, score);
    ++size_;
  }

  /// Removes `idx` from `score`; nothing when it is not there.
  void erase(std::uint32_t score, std::uint32_t idx) {
    if (score >= buckets_.size())
      return;
    auto& b = buckets_[score];
    auto it = std::lower_bound(b.begin(), b.end(), idx);
    if (it == b.end() || *it != idx)
      return;
    b.erase(it);
    --size_;
    while (top_ > 0 && buckets_[top_].empty())
      --top_;
  }

  /// Moves `idx` from score `from` to `to`; 0 means "not indexed".
  void move(std::uint32_t idx, std::uint32_t from, std::uint32_t to) {
    if (from == to)
      return;
    if (from > 0)
      erase(from, idx);
    if (to > 0)
      insert(to, idx);
  }

  /// Calls `fn(score, idx)` in order until it returns false. `fn` may
  /// change the index only when it then returns false.
  template <class Fn>
  void visit(Fn&& fn) const {
    for (auto score = top_; score > 0; --score)
      for (auto idx : buckets_[score])
        if (!fn(score, idx))
          return;
  }

  std::size_t size() const { return size_; }

private:
  std::vector<std::vector<std::uint32_t>> buckets_; ///< by score; [0] unused
  std::uint32_t top_ = 0;                           ///< highest non-empty score, 0 when empty
  std::size_t size_ = 0;
};

} // namespace compactsim::sim
