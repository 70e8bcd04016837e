#include "sim/druid/duty.hpp"
#include "sim/druid/task_spec.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <set>

namespace compactsim::sim::druid {

namespace {

/// Segments of one time chunk (or configured-granularity bucket).
struct holder {
  interval span;
  std::vector<const segment*> segs;
};

/// A compaction the duty could submit.
struct candidate {
  interval umbrella;
  interval task_interval;
  std::optional<granularity> task_granularity;
  std::vector<const segment*> segs;
  std::string reason; ///< why it needs compaction (the simulator's reasonToCompact)
};

/// Everything the duty decided about one datasource before slots are applied.
struct datasource_plan {
  const timeline* tl = nullptr;
  const datasource_config* cfg = nullptr;
  std::vector<candidate> candidates; ///< newest first
  std::size_t next = 0;
  auto_compaction_snapshot stats;
};

std::int64_t total_bytes(const std::vector<const segment*>& segs) {
  std::int64_t n = 0;
  for (const auto* s : segs)
    n += s->size;
  return n;
}

interval umbrella_of(const std::vector<const segment*>& segs) {
  interval u = segs.front()->span;
  for (const auto* s : segs)
    u = {std::min(u.start, s->span.start), std::max(u.end, s->span.end)};
  return u;
}

/// Time chunks of the timeline, or buckets of the configured granularity
/// each holding every segment that overlaps it; in interval order.
std::vector<holder> holders_of(const timeline& t, std::optional<granularity> g) {
  std::vector<holder> out;
  if (!g) {
    for (const auto& s : t.segments) {
      if (out.empty() || out.back().span != s.span)
        out.push_back({s.span, {}});
      out.back().segs.push_back(&s);
    }
    std::sort(out.begin(), out.end(), [](const holder& a, const holder& b) { return a.span < b.span; });
    return out;
  }
  // (bucket, segment) pairs in timeline order, then grouped by bucket: the
  // order a map of buckets gave, without a node per bucket. A segment
  // coarser than the granularity lands in several buckets, so the pairs
  // may need a (stable) sort.
  struct placed {
    interval bucket;
    const segment* seg;
  };
  std::vector<placed> pairs;
  pairs.reserve(t.segments.size());
  for (const auto& s : t.segments) {
    for (auto b = bucket(*g, s.span.start); b.start < s.span.end; b = bucket(*g, b.end)) {
      pairs.push_back({b, &s});
      if (b.end >= eternity_end)
        break;
    }
  }
  auto by_bucket = [](const placed& a, const placed& b) { return a.bucket.start < b.bucket.start; };
  if (!std::is_sorted(pairs.begin(), pairs.end(), by_bucket))
    std::stable_sort(pairs.begin(), pairs.end(), by_bucket);
  for (const auto& p : pairs) {
    if (out.empty() || out.back().span.start != p.bucket.start)
      out.push_back({p.bucket, {}});
    out.back().segs.push_back(p.seg);
  }
  return out;
}

/// The skip intervals: the skipOffsetFromLatest window merged with the task
/// and lock intervals that overlap it; the others as they are.
std::vector<interval> skip_intervals(interval from_latest, std::vector<interval> others) {
  std::sort(others.begin(), others.end());
  std::vector<interval> out;
  for (const auto& i : others) {
    if (i.overlaps(from_latest))
      from_latest = {std::min(from_latest.start, i.start), std::max(from_latest.end, i.end)};
    else
      out.push_back(i);
  }
  out.push_back(from_latest);
  return out;
}

/// A simulator row for `segs` (CompactionCandidate.from: the umbrella, the
/// count and the bytes).
simulated_candidate row_of(const std::string& ds, const std::vector<const segment*>& segs,
                           std::optional<std::string> reason) {
  return {ds, umbrella_of(segs), static_cast<std::int64_t>(segs.size()), total_bytes(segs), std::nullopt,
          std::move(reason)};
}

/// NewestSegmentFirstIterator's search over one datasource. With `sim`, the
/// rows Druid 31's DataSourceCompactibleSegmentIterator hands its status
/// tracker: each skip interval's segments, then each candidate found
/// complete or skipped, in search order.
datasource_plan plan_datasource(const timeline& t, const datasource_config& cfg, const std::vector<interval>& busy,
                                simulation* sim) {
  datasource_plan plan;
  plan.tl = &t;
  plan.cfg = &cfg;
  plan.stats.data_source = t.name;
  auto g = cfg.segment_granularity;
  auto holders = holders_of(t, g);
  if (holders.empty())
    return plan;
  time_ms first = holders.front().span.start, latest = holders.front().span.end;
  for (const auto& h : holders)
    latest = std::max(latest, h.span.end);
  time_ms skip_start = add(latest, cfg.skip_offset_from_latest, -1);
  if (g)
    skip_start = bucket_start(*g, skip_start);
  const interval from_latest{skip_start, latest};
  auto skips = skip_intervals(from_latest, busy);
  // Every segment touching a skip interval is counted as skipped, once per interval.
  for (const auto& s : skips) {
    auto segs = t.overlapping(s);
    if (segs.empty())
      continue;
    plan.stats.skipped.add(segs);
    if (sim)
      sim->skipped.push_back(row_of(t.name, segs,
                                    umbrella_of(segs).overlaps(from_latest)
                                      ? "skip offset from latest[" + format_period(cfg.skip_offset_from_latest) + "]"
                                      : std::string{"interval locked by another task"}));
  }
  std::set<interval> returned;
  for (auto h = holders.rbegin(); h != holders.rend(); ++h) {
    if (h->span.start < first || h->span.end > latest)
      continue;
    if (std::any_of(skips.begin(), skips.end(), [&](const interval& s) { return s.overlaps(h->span); }))
      continue;
    // NewestSegmentFirstIterator#findSegmentsToCompact: "Do not compact an
    // interval which comprises of a single tombstone" (several may be).
    if (h->segs.size() == 1 && h->segs.front()->tombstone)
      continue;
    // The segments to compact: the chunk's, or with a granularity everything
    // overlapping the umbrella of the bucket's segments. When that umbrella
    // lies within the bucket, those are exactly the bucket's segments (in
    // timeline order), so the holder's list is taken rather than searched
    // and copied again: one allocation less per interval of every datasource.
    std::vector<const segment*> segs;
    if (!g) {
      segs = std::move(h->segs);
    } else {
      auto u = umbrella_of(h->segs);
      if (u.start >= h->span.start && u.end <= h->span.end)
        segs = std::move(h->segs);
      else
        segs = t.overlapping(u);
    }
    auto reason = needs_compaction(t, segs, cfg);
    if (!reason) {
      plan.stats.compacted.add(segs);
      if (sim)
        sim->complete.push_back(row_of(t.name, segs, std::nullopt));
      continue;
    }
    if (auto bytes = total_bytes(segs); bytes > cfg.input_segment_size_bytes) {
      plan.stats.skipped.add(segs);
      if (sim)
        sim->skipped.push_back(row_of(t.name, segs,
                                      "'inputSegmentSize' exceeded: Total segment size[" + std::to_string(bytes) +
                                        "] is larger than allowed inputSegmentSize[" +
                                        std::to_string(cfg.input_segment_size_bytes) + "]"));
      continue;
    }
    candidate c;
    c.reason = std::move(*reason);
    c.umbrella = umbrella_of(segs);
    if (g) {
      if (!returned.insert(c.umbrella).second)
        continue;
      c.task_interval = {bucket_start(*g, c.umbrella.start), bucket(*g, c.umbrella.end - 1).end};
      c.task_granularity = g;
    } else {
      c.task_interval = c.umbrella;
      auto first_span = segs.front()->span;
      bool all_overlap = std::all_of(segs.begin(), segs.end(), [&](const segment* s) { return s->span.overlaps(first_span); });
      if (all_overlap)
        c.task_granularity = granularity_of(first_span);
    }
    c.segs = std::move(segs);
    plan.candidates.push_back(std::move(c));
  }
  return plan;
}

} // namespace

void compaction_stats::add(const std::vector<const segment*>& segs) {
  // Distinct intervals: the segments come in timeline order, so counting the
  // changes is enough; sort a copy only when they do not. (A std::set here
  // allocated a node per segment: 43% of a duty run over 1,000,000 segments.)
  bool ordered = true;
  std::int64_t distinct = 0;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    bytes += segs[i]->size;
    if (i == 0 || segs[i]->span != segs[i - 1]->span)
      ++distinct;
    if (i > 0 && segs[i]->span < segs[i - 1]->span)
      ordered = false;
  }
  if (!ordered) {
    std::vector<interval> spans;
    spans.reserve(segs.size());
    for (const auto* s : segs)
      spans.push_back(s->span);
    std::sort(spans.begin(), spans.end());
    distinct = std::unique(spans.begin(), spans.end()) - spans.begin();
  }
  segments += static_cast<std::int64_t>(segs.size());
  intervals += distinct;
}

std::string new_task_id(std::string_view prefix, const std::string& ds, time_ms now, rng& ids) {
  std::string random(8, 'a');
  for (auto& c : random)
    c = static_cast<char>('a' + ids.below(16));
  std::string id = prefix.empty() ? std::string{} : std::string{prefix} + "_";
  return id + "compact_" + ds + "_" + random + "_" + format_instant(now);
}

namespace {

/// CompactSegments#run. With `sim`, a simulation: nothing is submitted (no
/// task specs are built) and each submission becomes a PENDING row.
duty_result run_duty(const duty_input& in, rng& ids, simulation* sim) {
  duty_result out;
  const auto& cfg = *in.config;
  const auto priority = cfg.policy.first();
  if (cfg.max_slots <= 0 || cfg.empty())
    return out; // "Skipping compaction": the snapshot is emptied
  // Active compaction tasks: cancel those whose granularity no longer matches
  // the config; the rest make their intervals skipped and their slots busy.
  std::map<std::string, std::vector<interval>> busy;
  std::int64_t busy_slots = 0;
  for (const auto& t : in.active) {
    const auto* c = cfg.find(t.data_source);
    // Druid compares when both specs exist (and NPEs when the config's
    // granularity is null; that case is left running here).
    if (c && c->segment_granularity && t.has_granularity_spec && c->segment_granularity != t.segment_granularity) {
      out.cancellations.push_back(t.id);
      continue;
    }
    busy[t.data_source].push_back(t.span);
    busy_slots += t.slots;
  }
  // lockedIntervals: locks of priority at least the datasource's taskPriority.
  // Cancelled tasks have released theirs by the time Druid asks.
  for (const auto& l : in.locks) {
    bool cancelled = std::find(out.cancellations.begin(), out.cancellations.end(), l.task_id) != out.cancellations.end();
    if (const auto* c = cfg.find(l.data_source); c && !cancelled && l.priority >= c->task_priority)
      busy[l.data_source].push_back(l.span);
  }

  std::vector<datasource_plan> plans;
  plans.reserve(in.timelines.size());
  for (const auto& t : in.timelines)
    if (const auto* c = cfg.find(t->name)) {
      static const std::vector<interval> none;
      auto b = busy.find(t->name);
      plans.push_back(plan_datasource(*t, *c, b != busy.end() ? b->second : none, sim));
    }

  std::int64_t total = in.max_capacity_auto_scale >= 0 ? in.max_capacity_auto_scale : in.current_capacity;
  // Java's (int) cast: NaN is 0, everything else saturates at the int range.
  double scaled = static_cast<double>(total) * cfg.slot_ratio;
  auto by_ratio = std::isnan(scaled) ? std::int64_t{0}
                                     : static_cast<std::int64_t>(std::clamp(scaled, -2147483648.0, 2147483647.0));
  out.max_slots = std::min(by_ratio, cfg.max_slots);
  out.available_slots = busy_slots > 0 ? std::max<std::int64_t>(0, out.max_slots - busy_slots)
                                       : std::max<std::int64_t>(1, out.max_slots);

  // Newest interval first across datasources; ties by datasource name (its
  // rank among the names, so a tie costs no string compare).
  std::vector<std::size_t> order(plans.size()), rank(plans.size());
  for (std::size_t i = 0; i < plans.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return plans[a].tl->name < plans[b].tl->name; });
  for (std::size_t r = 0; r < order.size(); ++r)
    rank[order[r]] = r;
  auto newer = [&](std::size_t a, std::size_t b) {
    // BaseCandidateSearchPolicy: the priority datasource's candidates first.
    if (!priority.empty()) {
      bool pa = plans[a].tl->name == priority, pb = plans[b].tl->name == priority;
      if (pa != pb)
        return pb;
    }
    const auto& ca = plans[a].candidates[plans[a].next].umbrella;
    const auto& cb = plans[b].candidates[plans[b].next].umbrella;
    if (ca.start != cb.start)
      return ca.start < cb.start;
    if (ca.end != cb.end)
      return ca.end < cb.end;
    return rank[a] > rank[b];
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(newer)> queue{newer};
  for (std::size_t i = 0; i < plans.size(); ++i)
    if (!plans[i].candidates.empty())
      queue.push(i);
  std::int64_t used = 0;
  while (!queue.empty() && used < out.available_slots) {
    auto i = queue.top();
    queue.pop();
    auto& plan = plans[i];
    const auto& c = plan.candidates[plan.next++];
    // Counted as compacted when submitted, before it runs (as Druid does).
    plan.stats.compacted.add(c.segs);
    auto slots = slots_for(plan.cfg->tuning_config);
    if (sim) {
      auto row = row_of(plan.tl->name, c.segs, c.reason);
      row.max_task_slots = slots;
      sim->pending.push_back(std::move(row));
    } else {
      out.submissions.push_back(task_spec(new_task_id("coordinator-issued", plan.tl->name, in.now, ids), *plan.cfg, c.task_interval,
                c.task_granularity,
                std::all_of(c.segs.begin(), c.segs.end(), [](const segment* s) { return s->tombstone; })));
    }
    used += slots;
    if (plan.next < plan.candidates.size())
      queue.push(i);
  }
  // The slots are gone: everything left awaits, in any order (the figures are sums).
  for (auto& plan : plans)
    for (; plan.next < plan.candidates.size(); ++plan.next)
      plan.stats.awaiting.add(plan.candidates[plan.next].segs);

  std::vector<const std::string*> names;
  names.reserve(plans.size());
  for (const auto& p : plans)
    names.push_back(&p.tl->name);
  out.snapshot.reserve(plans.size());
  for (auto i : java_hash_permutation(names))
    out.snapshot.push_back(std::move(plans[i].stats));
  return out;
}

} // namespace

duty_result run_compact_segments(const duty_input& in, rng& ids) { return run_duty(in, ids, nullptr); }

simulation simulate_compact_segments(const duty_input& in, const std::optional<compaction_policy>& policy) {
  // CompactionRunSimulator: ClusterCompactionConfig(1.0, Integer.MAX_VALUE)
  // and ReadOnlyOverlordClient's IndexingTotalWorkerCapacityInfo(MAX, MAX);
  // the policy is the request's, else the stored one
  // (DruidCoordinator#simulateRunWithConfigUpdate's withClusterConfig).
  auto unlimited = *in.config;
  if (policy)
    unlimited.policy = *policy;
  unlimited.slot_ratio = 1.0;
  unlimited.max_slots = 2147483647;
  auto input = in;
  input.config = &unlimited;
  input.current_capacity = 2147483647;
  input.max_capacity_auto_scale = 2147483647;
  simulation out;
  rng unused{0};
  run_duty(input, unused, &out);
  return out;
}

} // namespace compactsim::sim::druid
