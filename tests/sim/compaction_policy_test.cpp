//! sim/compaction_policy: what cumulative, base and full compaction pick and
//! what applying them does, checked against shared/reference/doris.md §2.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "tests/sim/print.hpp"
#include "sim/doris/compaction_policy.hpp"

namespace sim = compactsim::sim;

namespace {

constexpr sim::time_ms t0 = 1'735'689'600'000;
constexpr sim::time_ms one_day_ms = 86'400'000;

sim::replica fresh(bool mow = true, sim::keys_type keys = sim::keys_type::unique_keys) {
  return sim::make_replica(100, 1, 7, 0, keys, mow, 1, t0);
}

sim::rowset load(std::int32_t v, std::int64_t rows, std::int64_t bytes, std::uint16_t segments = 1,
                 bool overlapping = false, bool is_delete = false) {
  sim::rowset rs;
  rs.start = rs.end = v;
  rs.id = static_cast<std::uint32_t>(v + 1000);
  rs.rows = rows;
  rs.bytes = bytes;
  rs.segments = segments;
  rs.overlapping = overlapping;
  rs.is_delete = is_delete;
  rs.set_created(t0);
  return rs;
}

/// Small loads [from..to], 10 rows and 1 KiB each.
void small_loads(sim::replica& r, int from, int to, std::int64_t superseding = 0) {
  for (int v = from; v <= to; ++v)
    sim::apply_load(r, load(v, 10, 1024), superseding);
}

/// A replica whose base [0-1] holds `base_bytes` of data and whose point is `point`.
sim::replica with_base(std::int64_t base_bytes, std::int64_t point) {
  auto r = fresh();
  r.rowsets.front().rows = 1000;
  r.rowsets.front().bytes = base_bytes;
  r.cumulative_point = point;
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(sim_compaction_policy)

// -- cumulative -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cumulative_takes_min_deltas_small_rowsets_after_the_point) {
  sim::doris_knobs k; // min_deltas 5
  auto r = fresh();
  small_loads(r, 2, 6);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 2);
  BOOST_TEST(p.end == 6);
  BOOST_TEST(p.input_rowsets == 5);
  BOOST_TEST(p.input_score == 5u);
  BOOST_TEST(p.input_bytes == 5 * 1024);
  BOOST_TEST(p.input_rows == 50);
}

BOOST_AUTO_TEST_CASE(cumulative_below_min_deltas_and_min_size_is_e2000) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 5); // score 4 < 5, 4 KiB < 64 MiB
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST(p.st.code == sim::errc::cumulative_no_suitable_version);
  BOOST_TEST(static_cast<int>(p.st.code) == -2000);
  BOOST_TEST(p.st.msg == "_input_rowsets is empty");
}

BOOST_AUTO_TEST_CASE(cumulative_few_rowsets_over_min_size_are_picked) {
  // Nothing only when size < 64 MiB AND score < 5.
  sim::doris_knobs k;
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 40 * sim::mib), 0);
  sim::apply_load(r, load(3, 10, 40 * sim::mib), 0);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 2);
  BOOST_TEST(p.end == 3);
}

// SizeBasedCumulativeCompactionPolicy::pick_input_rowsets returns early when
// the picked rowsets reach the promotion size, before the "only one rowset
// and not overlapping" rule: a big lone rowset is compacted alone.
BOOST_AUTO_TEST_CASE(a_lone_rowset_at_the_promotion_size_is_compacted_alone_pick_input_rowsets) {
  sim::doris_knobs k; // promotion: 128 MiB for an empty base
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 500 * sim::mib), 0);
  auto big = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(big.st.ok());
  BOOST_TEST(big.input_rowsets == 1);
  // Its output is over the promotion size: update_cumulative_point moves past it.
  auto out = sim::apply_compaction(r, sim::compaction_type::cumulative, big, 9, 1, 0, k, t0 + 1);
  BOOST_TEST_REQUIRE(out.st.ok());
  BOOST_TEST(r.cumulative_point == 3);
}

BOOST_AUTO_TEST_CASE(a_lone_rowset_under_the_promotion_size_is_not_compacted_pick_input_rowsets) {
  sim::doris_knobs k;
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 100 * sim::mib), 0); // over compaction_min_size (64 MiB), under 128 MiB
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0).st.code ==
             sim::errc::cumulative_no_suitable_version);
  // Overlapping or not, the level loop drops a lone small rowset (its level
  // is over the empty rest's, 1024 > 0) and its score is under the maximum:
  // nothing, until the stall breaker compacts it (pick_rowsets_to_compact).
  auto o = fresh();
  sim::apply_load(o, load(2, 10, 1024, 6, true), 0);
  BOOST_TEST(sim::pick_rowsets(o, sim::compaction_type::cumulative, k, t0).st.code ==
             sim::errc::cumulative_no_suitable_version);
  // Two of them: the first's level is not over the second's, both are picked.
  sim::apply_load(o, load(3, 10, 1024, 6, true), 0);
  auto p = sim::pick_rowsets(o, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.input_rowsets == 2);
  BOOST_TEST(p.input_score == 12u);
}

BOOST_AUTO_TEST_CASE(cumulative_is_trimmed_from_the_back_to_max_deltas) {
  sim::doris_knobs k;
  k.cumulative_compaction_max_deltas = 10;
  auto r = fresh();
  small_loads(r, 2, 16);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 2);
  BOOST_TEST(p.end == 11);
  BOOST_TEST(p.input_score == 10u);
}

BOOST_AUTO_TEST_CASE(cumulative_applies_level_rule) {
  // 128, 16, 16, 16, 16, 16 KiB: the leading bigger level is left out.
  sim::doris_knobs k;
  auto r = fresh();
  sim::apply_load(r, load(2, 10, 128 * 1024), 0);
  for (int v = 3; v <= 7; ++v)
    sim::apply_load(r, load(v, 10, 16 * 1024), 0);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 3);
  BOOST_TEST(p.end == 7);
}

BOOST_AUTO_TEST_CASE(cumulative_keeps_the_consecutive_run_before_a_hole) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 7);
  small_loads(r, 9, 20);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 2);
  BOOST_TEST(p.end == 7);
}

BOOST_AUTO_TEST_CASE(cumulative_ignores_rowsets_below_the_point) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 10);
  r.cumulative_point = 6;
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 6);
  BOOST_TEST(p.end == 10);
}

BOOST_AUTO_TEST_CASE(cumulative_stops_before_a_delete_version) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 7);
  sim::apply_load(r, load(8, 1, 100, 0, false, true), 0);
  small_loads(r, 9, 20);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.end == 7);
  BOOST_TEST(p.met_delete);
  // update_cumulative_point: a met delete moves the point past the output.
  sim::apply_compaction(r, sim::compaction_type::cumulative, p, 500, 1, 0, k, t0);
  BOOST_TEST(r.cumulative_point == 8);
}

BOOST_AUTO_TEST_CASE(cumulative_skips_a_leading_delete_version) {
  // "When a delete rowset is met with nothing before it, the point skips past it."
  sim::doris_knobs k;
  auto r = fresh();
  sim::apply_load(r, load(2, 1, 100, 0, false, true), 0);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST(p.st.code == sim::errc::cumulative_no_suitable_version);
  BOOST_TEST_REQUIRE(p.new_point.has_value());
  BOOST_TEST(*p.new_point == 3);
}

// Small rowsets before a delete version are compacted at once (no size rules),
// so cumulative compaction never stalls at a delete.
BOOST_AUTO_TEST_CASE(cumulative_makes_progress_at_a_delete_version) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 3);
  sim::apply_load(r, load(4, 1, 100, 0, false, true), 0);
  small_loads(r, 5, 30);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  bool progress = p.st.ok() || (p.new_point && *p.new_point > r.cumulative_point);
  BOOST_TEST(progress);
}

BOOST_AUTO_TEST_CASE(cumulative_point_moves_when_output_reaches_promotion_size) {
  sim::doris_knobs k; // promotion 128 MiB for an empty base
  auto r = fresh();
  for (int v = 2; v <= 6; ++v)
    sim::apply_load(r, load(v, 10, 40 * sim::mib), 0);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  sim::apply_compaction(r, sim::compaction_type::cumulative, p, 500, 1, 0, k, t0);
  BOOST_TEST(r.cumulative_point == 7);
}

BOOST_AUTO_TEST_CASE(cumulative_point_stays_for_small_output) {
  sim::doris_knobs k;
  auto r = fresh(false, sim::keys_type::dup_keys);
  small_loads(r, 2, 6);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  sim::apply_compaction(r, sim::compaction_type::cumulative, p, 500, 1, 0, k, t0);
  BOOST_TEST(r.cumulative_point == 2);
}

BOOST_AUTO_TEST_CASE(cumulative_point_moves_for_mow_past_promotion_version_count) {
  // MoW && end - start > compaction_promotion_version_count.
  sim::doris_knobs k;
  k.compaction_promotion_version_count = 3;
  auto mow = fresh(true);
  small_loads(mow, 2, 6);
  auto p = sim::pick_rowsets(mow, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  sim::apply_compaction(mow, sim::compaction_type::cumulative, p, 500, 1, 0, k, t0);
  BOOST_TEST(mow.cumulative_point == 7);
  // The same on a non-MoW unique table leaves the point.
  auto mor = fresh(false);
  small_loads(mor, 2, 6);
  p = sim::pick_rowsets(mor, sim::compaction_type::cumulative, k, t0);
  sim::apply_compaction(mor, sim::compaction_type::cumulative, p, 500, 1, 0, k, t0);
  BOOST_TEST(mor.cumulative_point == 2);
}

BOOST_AUTO_TEST_CASE(cumulative_on_notready_tablet_is_e2002) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 8);
  r.state = sim::tablet_state::notready;
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST(static_cast<int>(p.st.code) == -2002);
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::base, k, t0).st.code == sim::errc::invalid_argument);
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::full, k, t0).st.code == sim::errc::invalid_argument);
}

// -- base -----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(base_with_only_the_base_rowset_is_e808) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 10);
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0);
  BOOST_TEST(static_cast<int>(p.st.code) == -808);
  BOOST_TEST(p.st.msg == "_input_rowsets.size() is 1");
}

BOOST_AUTO_TEST_CASE(base_with_empty_initial_and_one_rowset_is_e808) {
  sim::doris_knobs k;
  auto r = fresh();
  sim::rowset merged = load(2, 100, 10 * sim::mib);
  merged.end = 30;
  sim::apply_load(r, merged, 0);
  r.cumulative_point = 31;
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0);
  BOOST_TEST(p.st.code == sim::errc::be_no_suitable_version);
  BOOST_TEST(p.st.msg ==
             "the tablet is with rowset: [0-1], [2-30], and [0-1] has no data. in this situation, no need to do "
             "base compaction.");
}

BOOST_AUTO_TEST_CASE(base_not_satisfying_policy_is_e808) {
  // Big fresh base, 3 small cumulative rowsets: no rule holds.
  sim::doris_knobs k;
  auto r = with_base(sim::mib * 1024, 5);
  small_loads(r, 2, 4);
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000);
  BOOST_TEST(p.st.code == sim::errc::be_no_suitable_version);
  BOOST_TEST(contains(p.st.msg, "don't satisfy the base compaction policy. tablet=100"));
  BOOST_TEST(contains(p.st.msg, "num_cumulative_rowsets=3"));
  BOOST_TEST(sim::status_string(p.st.code) == "[E-808]don't satisfy the base compaction policy");
}

BOOST_AUTO_TEST_CASE(base_triggers_on_data_ratio) {
  sim::doris_knobs k; // ratio > 0.3
  auto r = with_base(100 * sim::mib, 4);
  sim::apply_load(r, load(2, 10, 20 * sim::mib), 0);
  sim::apply_load(r, load(3, 10, 20 * sim::mib), 0); // 40/100 = 0.4
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 0);
  BOOST_TEST(p.end == 3);
  // 20/100 = 0.2: not enough.
  auto low = with_base(100 * sim::mib, 3);
  sim::apply_load(low, load(2, 10, 20 * sim::mib), 0);
  BOOST_TEST(!sim::pick_rowsets(low, sim::compaction_type::base, k, t0 + 1000).st.ok());
}

BOOST_AUTO_TEST_CASE(base_triggers_on_age_of_base_rowset) {
  sim::doris_knobs k; // 86400 s
  auto r = with_base(sim::mib * 1024, 4);
  small_loads(r, 2, 3);
  BOOST_TEST(!sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + one_day_ms).st.ok());
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + one_day_ms + 1000).st.ok());
}

BOOST_AUTO_TEST_CASE(base_triggers_on_many_rowsets) {
  sim::doris_knobs k;
  auto r = with_base(sim::mib * 1024, 9); // [0-1] + 7 small rowsets
  small_loads(r, 2, 8);
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.input_rowsets == 8);
}

// doris.md §2.5: base triggers on _input_rowsets.size() > 5, i.e. the base
// rowset plus 5 cumulative ones.
BOOST_AUTO_TEST_CASE(base_triggers_at_six_input_rowsets) {
  sim::doris_knobs k;
  auto r = with_base(sim::mib * 1024, 7); // [0-1] + [2..6]: 6 inputs
  small_loads(r, 2, 6);
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000).st.ok());
}

// BaseCompaction::pick_rowsets_to_compact adds each rowset's score and only
// then compares with base_compaction_max_compaction_score: the rowset that
// takes the sum over the maximum is kept (21 of score 1 at the default 20).
BOOST_AUTO_TEST_CASE(base_keeps_the_rowset_that_crosses_max_compaction_score_pick_rowsets_to_compact) {
  sim::doris_knobs k; // 20
  auto r = with_base(sim::mib, 40);
  small_loads(r, 2, 39);
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.input_score == 21u);
  BOOST_TEST(p.input_rowsets == 21);
  BOOST_TEST(p.start == 0);
  BOOST_TEST(p.end == 21);
  k.base_compaction_max_compaction_score = 5; // 6 rowsets at a maximum of 5
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000).input_rowsets == 6);
}

// CumulativeCompaction::pick_rowsets_to_compact: with nothing to pick, a
// tablet that never succeeded starts both success clocks; once both are
// older than pick_rowset_to_compact_interval_sec, the point moves to the last
// candidate's start + 1 (still E-2000), or every candidate is compacted when
// one overlaps.
BOOST_AUTO_TEST_CASE(a_stalled_cumulative_point_moves_after_a_day_pick_rowsets_to_compact) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 5); // 4 small rowsets: score 4 < 5, size < 64 MiB
  auto first = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST(first.st.code == sim::errc::cumulative_no_suitable_version);
  BOOST_TEST(first.init_success_times);
  BOOST_TEST(!first.new_point.has_value());
  r.last_success[sim::index(sim::compaction_type::cumulative)] = t0;
  r.last_success[sim::index(sim::compaction_type::base)] = t0;
  auto same_day = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0 + 3'600'000);
  BOOST_TEST(!same_day.new_point.has_value());
  BOOST_TEST(!same_day.init_success_times);
  auto next_day = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0 + 86'400'001);
  BOOST_TEST(next_day.st.code == sim::errc::cumulative_no_suitable_version);
  BOOST_TEST_REQUIRE(next_day.new_point.has_value());
  BOOST_TEST(*next_day.new_point == 6);
  // An overlapping candidate: the breaker compacts every candidate instead.
  auto o = fresh();
  small_loads(o, 2, 3);
  sim::apply_load(o, load(4, 10, 1024, 2, true), 0);
  o.last_success[sim::index(sim::compaction_type::cumulative)] = t0;
  o.last_success[sim::index(sim::compaction_type::base)] = t0;
  auto all = sim::pick_rowsets(o, sim::compaction_type::cumulative, k, t0 + 86'400'001);
  BOOST_TEST_REQUIRE(all.st.ok());
  BOOST_TEST(all.start == 2);
  BOOST_TEST(all.end == 4);
}

BOOST_AUTO_TEST_CASE(base_with_version_hole_is_e2006) {
  sim::doris_knobs k;
  auto r = with_base(sim::mib, 20);
  small_loads(r, 2, 4);
  small_loads(r, 7, 12);
  auto p = sim::pick_rowsets(r, sim::compaction_type::base, k, t0 + 1000);
  BOOST_TEST(static_cast<int>(p.st.code) == -2006);
  BOOST_TEST(p.st.msg == "There are missed versions among rowsets. prev_rowset version=4-4, rowset version=7-7");
}

// -- full -----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(full_on_fresh_or_initial_plus_one_is_e2008) {
  sim::doris_knobs k;
  auto r = fresh();
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST(static_cast<int>(p.st.code) == -2008);
  BOOST_TEST(p.st.msg == "There is no suitable version");
  small_loads(r, 2, 2);
  BOOST_TEST(sim::pick_rowsets(r, sim::compaction_type::full, k, t0).st.code == sim::errc::full_no_suitable_version);
}

BOOST_AUTO_TEST_CASE(full_takes_all_rowsets_from_zero_to_max) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 9);
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST(p.start == 0);
  BOOST_TEST(p.end == 9);
  BOOST_TEST(p.input_rowsets == 9);
}

BOOST_AUTO_TEST_CASE(full_with_version_hole_is_e2009) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 4);
  small_loads(r, 6, 8);
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST(static_cast<int>(p.st.code) == -2009);
  BOOST_TEST(contains(p.st.msg, "Full compaction rowsets' versions not equal to all exist rowsets' versions"));
  BOOST_TEST(contains(p.st.msg, "[5-5]"));
}

// -- applying -------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(apply_conserves_rows_and_stales_inputs) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 3);
  small_loads(r, 4, 8, /*superseding*/ 4);
  auto visible = sim::visible_rows(r);
  auto before = r.rowsets.size();
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  BOOST_TEST_REQUIRE(p.start == 2);
  BOOST_TEST_REQUIRE(p.end == 8);
  auto out = sim::apply_compaction(r, sim::compaction_type::cumulative, p, 900, 3, 0, k, t0 + 5000);
  BOOST_TEST_REQUIRE(out.st.ok());
  BOOST_TEST(out.rows_in == 70);
  BOOST_TEST(out.removed_deleted == 20);
  BOOST_TEST(out.rows_in - out.removed_deleted - out.removed_duplicates == out.rows_out);
  BOOST_TEST(out.rows_out == visible);
  BOOST_TEST(sim::visible_rows(r) == visible);
  // One output covering [2-8], right after [0-1].
  BOOST_TEST_REQUIRE(r.rowsets.size() == before - 7 + 1);
  BOOST_TEST(r.rowsets[1].start == 2);
  BOOST_TEST(r.rowsets[1].end == 8);
  BOOST_TEST(r.rowsets[1].id == 900u);
  BOOST_TEST(r.rowsets[1].deleted == 0);
  BOOST_TEST(r.rowsets[1].rows == out.rows_out);
  BOOST_TEST(sim::versions_contiguous(r));
  BOOST_TEST_REQUIRE(r.stale.size() == 7u);
  for (const auto& s : r.stale) {
    BOOST_TEST(s.path_id == 3u);
    BOOST_TEST(s.stale_since == t0 + 5000);
  }
  BOOST_TEST(out.bytes_out <= out.bytes_in);
}

BOOST_AUTO_TEST_CASE(full_on_mow_repairs_all_duplicates) {
  sim::doris_knobs k;
  auto r = fresh(true);
  small_loads(r, 2, 2);
  small_loads(r, 3, 6, 5);
  BOOST_TEST_REQUIRE(sim::corrupt_delete_bitmap(r, 12) == 12);
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  auto out = sim::apply_compaction(r, sim::compaction_type::full, p, 900, 1, r.duplicates, k, t0);
  BOOST_TEST_REQUIRE(out.st.ok());
  BOOST_TEST(r.duplicates == 0);
  BOOST_TEST(out.removed_duplicates == 12);
  BOOST_TEST(out.rows_in - out.removed_deleted - out.removed_duplicates == out.rows_out);
  BOOST_TEST(r.rowsets.size() == 1u);
  BOOST_TEST(r.rowsets[0].start == 0);
  BOOST_TEST(r.rowsets[0].end == 6);
  // Full compaction moves the point past its output.
  BOOST_TEST(r.cumulative_point == 7);
}

// The repair removes exactly the duplicates: every key survives once.
BOOST_AUTO_TEST_CASE(full_repair_keeps_every_key) {
  sim::doris_knobs k;
  auto r = fresh(true);
  small_loads(r, 2, 2);
  small_loads(r, 3, 6, 5);
  auto keys = sim::visible_rows(r); // one row per key while the bitmap is right
  BOOST_TEST_REQUIRE(sim::corrupt_delete_bitmap(r, 12) == 12);
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  auto out = sim::apply_compaction(r, sim::compaction_type::full, p, 900, 1, r.duplicates, k, t0);
  BOOST_TEST(out.rows_out == keys);
  BOOST_TEST(sim::visible_rows(r) == keys);
}

BOOST_AUTO_TEST_CASE(full_without_repair_leaves_duplicates) {
  sim::doris_knobs k;
  auto r = fresh(false);
  small_loads(r, 2, 6, 5);
  r.duplicates = 7;
  auto p = sim::pick_rowsets(r, sim::compaction_type::full, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  auto out = sim::apply_compaction(r, sim::compaction_type::full, p, 900, 1, 0, k, t0);
  BOOST_TEST(out.removed_duplicates == 0);
  BOOST_TEST(r.duplicates == 7);
}

BOOST_AUTO_TEST_CASE(apply_with_vanished_inputs_fails_without_change) {
  sim::doris_knobs k;
  auto r = fresh();
  small_loads(r, 2, 6);
  auto p = sim::pick_rowsets(r, sim::compaction_type::cumulative, k, t0);
  BOOST_TEST_REQUIRE(p.st.ok());
  auto copy = r;
  p.start = 42; // no rowset starts there: the inputs were compacted away meanwhile
  auto out = sim::apply_compaction(r, sim::compaction_type::cumulative, p, 900, 1, 0, k, t0);
  BOOST_TEST(!out.st.ok());
  BOOST_TEST(r.rowsets.size() == copy.rowsets.size());
  BOOST_TEST(r.stale.empty());
}

BOOST_AUTO_TEST_CASE(duration_is_bytes_over_throughput_plus_fixed_cost) {
  sim::doris_knobs k;
  k.disk_throughput_bytes_per_sec = 64 * sim::mib;
  k.compaction_fixed_cost_ms = 50;
  BOOST_TEST(sim::compaction_duration_ms(0, k) == 50);
  BOOST_TEST(sim::compaction_duration_ms(64 * sim::mib, k) == 1050);
  BOOST_TEST(sim::compaction_duration_ms(32 * sim::mib, k) == 550);
  BOOST_TEST(sim::compaction_duration_ms(640 * sim::mib, k) == 10050);
  BOOST_TEST(sim::compaction_duration_ms(64 * sim::mib, k, 2.0) == 2050);
  BOOST_TEST(sim::compaction_duration_ms(1, k) == 51); // rounded up
  sim::time_ms prev = 0;
  for (std::int64_t bytes = 0; bytes < 8 * sim::mib; bytes += sim::mib / 3) {
    auto d = sim::compaction_duration_ms(bytes, k);
    BOOST_TEST(d >= prev);
    prev = d;
  }
}

BOOST_AUTO_TEST_SUITE_END()
