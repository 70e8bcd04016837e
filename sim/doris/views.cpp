#include "sim/doris/views.hpp"

namespace compactsim::sim {

namespace {

/// Bytes of a small roaring bitmap holding `n` row ids in one array
/// container (cookie, container header, 2 bytes a value): an estimate of
/// Roaring::getSizeInBytes, which is what Doris adds up.
std::int64_t roaring_bytes(std::int64_t n) { return 16 + 2 * n; }

} // namespace

delete_bitmap_view delete_bitmap_of(const replica& r) {
  delete_bitmap_view v;
  v.found = true;
  if (!r.merge_on_write)
    return v;
  auto add = [&v](const rowset& rs) {
    if (rs.deleted <= 0)
      return;
    ++v.count;
    v.cardinality += rs.deleted;
    v.size += roaring_bytes(rs.deleted);
  };
  for (const auto& rs : r.rowsets)
    add(rs);
  for (const auto& st : r.stale)
    add(st.data);
  return v;
}

} // namespace compactsim::sim
