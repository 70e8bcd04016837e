#include "sim/druid/segments.hpp"

#include <algorithm>

namespace compactsim::sim::druid {

std::optional<time_ms> timeline::latest() const {
  if (segments.empty())
    return std::nullopt;
  time_ms end = segments.front().span.end;
  for (const auto& s : segments)
    end = std::max(end, s.span.end);
  return end;
}

std::vector<const segment*> timeline::overlapping(const interval& i) const {
  std::vector<const segment*> out;
  // Sorted by start: nothing starting at or after i.end overlaps.
  auto stop = std::lower_bound(segments.begin(), segments.end(), i.end,
                               [](const segment& s, time_ms t) { return s.span.start < t; });
  for (auto it = segments.begin(); it != stop; ++it)
    if (it->span.overlaps(i))
      out.push_back(&*it);
  return out;
}

std::int64_t timeline::total_bytes() const {
  std::int64_t n = 0;
  for (const auto& s : segments)
    n += s.size;
  return n;
}

timeline& segment_store::writable(const std::string& ds) {
  auto& slot = datasources_[ds];
  if (!slot) {
    slot = std::make_shared<timeline>();
    slot->name = ds;
  } else if (slot.use_count() > 1) {
    // A duty snapshot still reads the old timeline: copy on write.
    slot = std::make_shared<timeline>(*slot);
  }
  return *slot;
}

void segment_store::add(const std::string& ds, segment s) {
  auto& t = writable(ds);
  auto at = std::upper_bound(t.segments.begin(), t.segments.end(), s, segment_less);
  t.segments.insert(at, s);
  ++segments_;
}

void segment_store::publish(const std::string& ds, const std::vector<interval>& replace, std::vector<segment> outputs) {
  auto& t = writable(ds);
  time_ms version = outputs.empty() ? 0 : outputs.front().version;
  auto before = t.segments.size();
  std::erase_if(t.segments, [&](const segment& s) {
    return s.version < version &&
           std::any_of(replace.begin(), replace.end(), [&](const interval& r) { return r.contains(s.span); });
  });
  segments_ -= before - t.segments.size();
  for (auto& s : outputs) {
    t.segments.push_back(s);
    ++segments_;
  }
  std::sort(t.segments.begin(), t.segments.end(), segment_less);
  if (t.segments.empty())
    datasources_.erase(ds);
}

std::size_t segment_store::mark_unused(const std::string& ds, const std::vector<std::string>& ids) {
  auto it = datasources_.find(ds);
  if (it == datasources_.end())
    return 0;
  auto& t = writable(ds);
  auto before = t.segments.size();
  std::erase_if(t.segments, [&](const segment& s) {
    return std::find(ids.begin(), ids.end(), segment_id(ds, s)) != ids.end();
  });
  auto removed = before - t.segments.size();
  segments_ -= removed;
  if (t.segments.empty())
    datasources_.erase(ds);
  return removed;
}

const timeline* segment_store::find(const std::string& ds) const {
  auto it = datasources_.find(ds);
  return it == datasources_.end() ? nullptr : it->second.get();
}

std::vector<std::shared_ptr<const timeline>> segment_store::snapshot() const {
  std::vector<std::shared_ptr<const timeline>> out;
  out.reserve(datasources_.size());
  for (const auto& [name, t] : datasources_)
    if (!t->segments.empty())
      out.push_back(t);
  return out;
}

std::uint16_t timeline::intern(const segment_schema& s) {
  for (std::size_t i = 0; i < schemas.size(); ++i)
    if (schemas[i] == s)
      return static_cast<std::uint16_t>(i);
  schemas.push_back(s);
  return static_cast<std::uint16_t>(schemas.size() - 1);
}

std::uint32_t timeline::intern(const compaction_state& s) {
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i] == s)
      return static_cast<std::uint32_t>(i + 1);
  states.push_back(s);
  return static_cast<std::uint32_t>(states.size());
}

std::uint32_t timeline::stamp(const compaction_state& s, const interval& umbrella) {
  auto st = intern(s);
  if (stamps.empty() || stamps.back().state != st || stamps.back().umbrella != umbrella)
    stamps.push_back({st, umbrella});
  return static_cast<std::uint32_t>(stamps.size());
}

std::string segment_id(const std::string& ds, const segment& s) {
  std::string id = ds + "_" + format_instant(s.span.start) + "_" + format_instant(s.span.end) + "_" +
                   format_instant(s.version);
  if (s.partition != 0)
    id += "_" + std::to_string(s.partition);
  return id;
}

} // namespace compactsim::sim::druid
