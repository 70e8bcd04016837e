//! sim/replica: versions, scores, loads and delete-bitmap corruption of one
//! replica, checked against the Doris facts in shared/reference/doris.md.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <numeric>

#include "tests/sim/print.hpp"
#include "sim/doris/replica.hpp"

namespace sim = compactsim::sim;

namespace {

constexpr sim::time_ms t0 = 1'735'689'600'000;

sim::replica fresh(sim::keys_type keys = sim::keys_type::unique_keys, bool mow = true) {
  return sim::make_replica(/*tablet*/ 100, /*table*/ 1, /*schema_hash*/ 7, /*disk*/ 0, keys, mow,
                           /*rowset_id*/ 1, t0);
}

/// A singleton load [v-v] with `rows` rows of 100 bytes.
sim::rowset load(std::int32_t v, std::int64_t rows, std::int64_t bytes = -1, std::uint16_t segments = 1,
                 bool overlapping = false) {
  sim::rowset rs;
  rs.start = rs.end = v;
  rs.id = static_cast<std::uint32_t>(v + 1000);
  rs.rows = rows;
  rs.bytes = bytes < 0 ? rows * 100 : bytes;
  rs.segments = segments;
  rs.overlapping = overlapping;
  rs.set_created(t0);
  return rs;
}

std::int64_t total_deleted(const sim::replica& r) {
  return std::accumulate(r.rowsets.begin(), r.rowsets.end(), std::int64_t{0},
                         [](std::int64_t n, const sim::rowset& rs) { return n + rs.deleted; });
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_replica)

BOOST_AUTO_TEST_CASE(fresh_replica_holds_empty_initial_rowset_and_point_2) {
  // Tablet::create_initial_rowset: an empty [0-1], cumulative point 2.
  auto r = fresh();
  BOOST_TEST_REQUIRE(r.rowsets.size() == 1u);
  BOOST_TEST(r.rowsets[0].start == 0);
  BOOST_TEST(r.rowsets[0].end == 1);
  BOOST_TEST(r.rowsets[0].rows == 0);
  BOOST_TEST(r.cumulative_point == 2);
  BOOST_TEST(sim::max_version(r) == 1);
  BOOST_TEST(sim::versions_contiguous(r));
  BOOST_TEST(sim::missing_versions(r).empty());
  BOOST_TEST(sim::visible_rows(r) == 0);
}

BOOST_AUTO_TEST_CASE(merge_on_write_only_applies_to_unique_keys) {
  BOOST_TEST(fresh(sim::keys_type::unique_keys, true).merge_on_write);
  BOOST_TEST(!fresh(sim::keys_type::dup_keys, true).merge_on_write);
  BOOST_TEST(!fresh(sim::keys_type::agg_keys, true).merge_on_write);
  BOOST_TEST(!fresh(sim::keys_type::unique_keys, false).merge_on_write);
}

BOOST_AUTO_TEST_CASE(loads_extend_versions_contiguously) {
  auto r = fresh();
  for (int v = 2; v <= 6; ++v)
    sim::apply_load(r, load(v, 10), 0);
  BOOST_TEST(r.rowsets.size() == 6u);
  BOOST_TEST(sim::max_version(r) == 6);
  BOOST_TEST(sim::versions_contiguous(r));
  BOOST_TEST(sim::missing_versions(r).empty());
  BOOST_TEST(sim::visible_rows(r) == 50);
  BOOST_TEST(sim::data_bytes(r) == 5 * 10 * 100);
}

BOOST_AUTO_TEST_CASE(version_holes_are_listed_as_ranges) {
  auto r = fresh();
  sim::apply_load(r, load(2, 10), 0);
  sim::apply_load(r, load(5, 10), 0);
  sim::apply_load(r, load(6, 10), 0);
  sim::apply_load(r, load(9, 10), 0);
  BOOST_TEST(!sim::versions_contiguous(r));
  auto holes = sim::missing_versions(r);
  BOOST_TEST_REQUIRE(holes.size() == 2u);
  BOOST_TEST(holes[0] == "[3-4]");
  BOOST_TEST(holes[1] == "[7-8]");
}

BOOST_AUTO_TEST_CASE(versions_not_starting_at_zero_are_not_contiguous) {
  sim::replica empty;
  BOOST_TEST(!sim::versions_contiguous(empty));
  BOOST_TEST(sim::max_version(empty) == -1);
  auto r = fresh();
  r.rowsets.front().start = 1;
  BOOST_TEST(!sim::versions_contiguous(r));
}

BOOST_AUTO_TEST_CASE(rowset_score_counts_segments_only_for_overlapping_singletons) {
  // RowsetMeta::get_compaction_score: num_segments when the rowset is a
  // singleton delta with more than one overlapping segment, else 1.
  BOOST_TEST(load(3, 10, -1, 2, true).score() == 2u);
  BOOST_TEST(load(3, 10, -1, 5, true).score() == 5u);
  BOOST_TEST(load(3, 10, -1, 5, false).score() == 1u);
  BOOST_TEST(load(3, 10, -1, 1, true).score() == 1u);
  auto merged = load(3, 10, -1, 3, true);
  merged.start = 2; // not a singleton delta
  BOOST_TEST(merged.score() == 1u);
  BOOST_TEST(load(3, 0, -1, 0, false).score() == 1u);
}

BOOST_AUTO_TEST_CASE(doc_example_scores_four) {
  // compaction-principles.md: [0-100] 3 segs NONOVERLAPPING = 1,
  // [101-101] 2 segs OVERLAPPING = 2, [102-102] = 1 -> tablet score 4.
  auto r = fresh();
  r.rowsets.front() = load(0, 1000, -1, 3, false);
  r.rowsets.front().end = 100;
  sim::apply_load(r, load(101, 10, 500, 2, true), 0);
  sim::apply_load(r, load(102, 10, 500, 1, false), 0);
  r.cumulative_point = 101;
  BOOST_TEST(sim::real_compaction_score(r) == 4u);
  // Base: rowsets starting below the point. Cumulative: the rest.
  BOOST_TEST(sim::calc_base_score(r) == 1u);
  BOOST_TEST(sim::calc_cumulative_score(r, sim::doris_knobs{}) == 3u);
}

BOOST_AUTO_TEST_CASE(base_score_sums_rowsets_below_the_point) {
  auto r = fresh();
  for (int v = 2; v <= 8; ++v)
    sim::apply_load(r, load(v, 10, -1, v == 4 ? 3 : 1, v == 4), 0);
  r.cumulative_point = 6; // [0-1] [2] [3] [4](3 segs) [5] below
  BOOST_TEST(sim::calc_base_score(r) == 1u + 1u + 1u + 3u + 1u);
  // No base rowset [0-x] (tablet under schema change): both scores 0.
  r.rowsets.erase(r.rowsets.begin());
  BOOST_TEST(sim::calc_base_score(r) == 0u);
  BOOST_TEST(sim::calc_cumulative_score(r, sim::doris_knobs{}) == 0u);
}

BOOST_AUTO_TEST_CASE(cumulative_score_skips_leading_bigger_level) {
  // "eg: size of rowset_to_compact are: 128, 16, 16, 16 we will choose [16,16,16]"
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 128 * 1024), 0);
  sim::apply_load(r, load(3, 10, 16 * 1024), 0);
  sim::apply_load(r, load(4, 10, 16 * 1024), 0);
  sim::apply_load(r, load(5, 10, 16 * 1024), 0);
  BOOST_TEST(sim::calc_cumulative_score(r, sim::doris_knobs{}) == 3u);
}

BOOST_AUTO_TEST_CASE(cumulative_score_counts_everything_at_promotion_size) {
  // Total size >= promotion size: the plain sum of scores, no level rule.
  sim::doris_knobs k;
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 200 * sim::mib), 0);
  sim::apply_load(r, load(3, 10, 1024), 0);
  sim::apply_load(r, load(4, 10, 1024, 4, true), 0);
  BOOST_TEST_REQUIRE(sim::promotion_size(r, k) == 128 * sim::mib);
  BOOST_TEST(sim::calc_cumulative_score(r, k) == 1u + 1u + 4u);
}

BOOST_AUTO_TEST_CASE(promotion_size_is_clamped_base_share) {
  // clamp(base_size * 0.05, 128 MiB, 1024 MiB)
  sim::doris_knobs k;
  auto r = fresh();
  BOOST_TEST(sim::promotion_size(r, k) == 128 * sim::mib);
  r.rowsets.front().bytes = 10240 * sim::mib;
  BOOST_TEST(sim::promotion_size(r, k) == 512 * sim::mib);
  r.rowsets.front().bytes = 100 * 1024 * sim::mib;
  BOOST_TEST(sim::promotion_size(r, k) == 1024 * sim::mib);
}

BOOST_AUTO_TEST_CASE(refresh_scores_reports_changes) {
  sim::doris_knobs k;
  auto r = fresh();
  BOOST_TEST(sim::refresh_scores(r, k)); // cached 0 -> base 1
  BOOST_TEST(r.base_score == 1u);
  BOOST_TEST(!sim::refresh_scores(r, k));
  sim::apply_load(r, load(2, 10, -1, 3, true), 0);
  BOOST_TEST(sim::refresh_scores(r, k));
  BOOST_TEST(r.cumu_score == 3u);
}

BOOST_AUTO_TEST_CASE(superseding_load_marks_older_rows_deleted) {
  auto r = fresh();
  sim::apply_load(r, load(2, 100), 0);
  sim::apply_load(r, load(3, 100), 30);
  BOOST_TEST(r.rowsets[1].deleted == 30);
  BOOST_TEST(r.rowsets[2].deleted == 0);
  BOOST_TEST(sim::visible_rows(r) == 170);
}

BOOST_AUTO_TEST_CASE(superseding_spills_to_older_rowsets_without_overmarking) {
  auto r = fresh();
  sim::apply_load(r, load(2, 100), 0);
  sim::apply_load(r, load(3, 50), 0);
  sim::apply_load(r, load(4, 100), 80);
  BOOST_TEST(total_deleted(r) == 80);
  for (const auto& rs : r.rowsets)
    BOOST_TEST(rs.deleted <= rs.rows);
  BOOST_TEST(r.rowsets[2].deleted == 50); // newest older rows first
  BOOST_TEST(r.rowsets[1].deleted == 30);
  // More superseding than live rows: never more marks than rows.
  sim::apply_load(r, load(5, 1000), 5000);
  for (const auto& rs : r.rowsets)
    BOOST_TEST(rs.deleted <= rs.rows);
  BOOST_TEST(sim::visible_rows(r) >= 0);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_tables_never_mark_rows) {
  auto r = fresh(sim::keys_type::dup_keys, false);
  sim::apply_load(r, load(2, 100), 0);
  sim::apply_load(r, load(3, 100), 60);
  BOOST_TEST(total_deleted(r) == 0);
  BOOST_TEST(sim::visible_rows(r) == 200);
}

BOOST_AUTO_TEST_CASE(corrupt_delete_bitmap_adds_duplicates) {
  auto r = fresh();
  sim::apply_load(r, load(2, 100), 0);
  sim::apply_load(r, load(3, 100), 40);
  BOOST_TEST(sim::corrupt_delete_bitmap(r, 10) == 10);
  BOOST_TEST(r.duplicates == 10);
  BOOST_TEST(sim::corrupt_delete_bitmap(r, 5) == 5);
  BOOST_TEST(r.duplicates == 15);
  BOOST_TEST(sim::corrupt_delete_bitmap(r, -3) == 0);
  BOOST_TEST(r.duplicates == 15);
}

// Duplicates are replaced rows whose bitmap marks were lost: at most the
// replaced rows can become duplicates, and a query then sees them.
BOOST_AUTO_TEST_CASE(corrupt_delete_bitmap_is_capped_by_superseded_rows) {
  auto r = fresh();
  sim::apply_load(r, load(2, 100), 0);
  BOOST_TEST(sim::corrupt_delete_bitmap(r, 10) == 0); // nothing superseded yet
  sim::apply_load(r, load(3, 100), 40);
  auto visible_before = sim::visible_rows(r);
  BOOST_TEST(sim::corrupt_delete_bitmap(r, 1000) == 40);
  BOOST_TEST(r.duplicates == 40);
  BOOST_TEST(sim::visible_rows(r) == visible_before + 40); // the duplicates are seen
}

BOOST_AUTO_TEST_CASE(sweep_stale_drops_only_rowsets_older_than_sweep_time) {
  sim::doris_knobs k; // tablet_rowset_stale_sweep_time_sec = 600
  auto r = fresh();
  r.stale.push_back({load(2, 10), t0, 1});
  r.stale.push_back({load(3, 10), t0 + 300'000, 2});
  sim::sweep_stale(r, t0 + 599'000, k);
  BOOST_TEST(r.stale.size() == 2u);
  sim::sweep_stale(r, t0 + 600'000, k);
  BOOST_TEST_REQUIRE(r.stale.size() == 1u);
  BOOST_TEST(r.stale[0].path_id == 2u);
  sim::sweep_stale(r, t0 + 900'000, k);
  BOOST_TEST(r.stale.empty());
}

BOOST_AUTO_TEST_SUITE_END()
