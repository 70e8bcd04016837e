#include "sim/druid/config.hpp"

#include <cmath>

namespace compactsim::sim::druid {

namespace {

constexpr time_ms audit_history_ms = 7LL * 24 * 3600 * 1000; ///< druid.audit.manager.auditHistoryMillis

} // namespace

void compaction_config_store::record(std::string ds, std::optional<datasource_config> c, const audit_info& who,
                                     time_ms now) {
  audit_.push_back({std::move(ds), std::move(c), current_.slot_ratio, current_.max_slots,
                    current_.use_auto_scale_slots, current_.policy, who, now});
}

bool compaction_config_store::upsert(datasource_config c, const audit_info& who, time_ms now) {
  if (auto* old = current_.find(c.data_source); old && *old == c)
    return false;
  current_.put(c);
  auto ds = c.data_source;
  record(std::move(ds), std::move(c), who, now);
  return true;
}

bool compaction_config_store::remove(const std::string& ds, const audit_info& who, time_ms now) {
  if (!current_.erase(ds))
    return false;
  record(ds, std::nullopt, who, now);
  return true;
}

void compaction_config_store::set_cluster(const cluster_update& u, const audit_info& who, time_ms now) {
  auto next_ratio = u.ratio.value_or(current_.slot_ratio);
  auto next_max = u.max.value_or(current_.max_slots);
  auto next_auto = u.auto_scale.value_or(current_.use_auto_scale_slots);
  auto next_policy = u.policy.value_or(current_.policy);
  // DruidCompactionConfig#equals compares with Double.compare: NaN equals
  // NaN, so posting NaN twice changes nothing and audits nothing.
  const bool same_ratio = next_ratio == current_.slot_ratio || (std::isnan(next_ratio) && std::isnan(current_.slot_ratio));
  if (same_ratio && next_max == current_.max_slots && next_auto == current_.use_auto_scale_slots &&
      next_policy == current_.policy)
    return;
  current_.slot_ratio = next_ratio;
  current_.max_slots = next_max;
  current_.use_auto_scale_slots = next_auto;
  current_.policy = std::move(next_policy);
  record("", std::nullopt, who, now);
}

std::vector<history_entry> compaction_config_store::history(const std::string& ds, std::optional<interval> range,
                                                           std::optional<std::int64_t> count, time_ms now) const {
  // The datasource's config after every row, replayed from the start.
  std::vector<const datasource_config*> config_at(audit_.size(), nullptr);
  const datasource_config* cur = nullptr;
  for (std::size_t i = 0; i < audit_.size(); ++i) {
    if (audit_[i].data_source == ds)
      cur = audit_[i].config ? &*audit_[i].config : nullptr;
    config_at[i] = cur;
  }
  // Which audit rows: SQLAuditManager's two queries.
  std::vector<std::size_t> rows;
  if (!range && count) {
    for (std::size_t i = audit_.size(); i-- > 0 && std::int64_t(rows.size()) < *count;)
      rows.push_back(i);
  } else {
    auto r = range.value_or(interval{now - audit_history_ms, now});
    for (std::size_t i = 0; i < audit_.size(); ++i)
      if (audit_[i].time >= r.start && audit_[i].time <= r.end)
        rows.push_back(i);
  }
  // DataSourceCompactionConfigHistory.add over those rows, in that order:
  // an entry when the datasource's config or the global settings differ
  // from the last entry's (equals: a NaN ratio equals a NaN ratio, as
  // Double.equals has it).
  std::vector<history_entry> out;
  for (auto i : rows) {
    const auto& row = audit_[i];
    const auto* last = out.empty() ? nullptr : &out.back();
    bool push;
    if (!config_at[i]) {
      push = last != nullptr; // after removal, every later change records a null config
    } else {
      auto same_ratio = [&] { return last->slot_ratio == row.slot_ratio || (std::isnan(last->slot_ratio) && std::isnan(row.slot_ratio)); };
      push = !last || !last->config || !(*last->config == *config_at[i]) || !same_ratio() ||
             last->max_slots != row.max_slots || last->use_auto_scale_slots != row.use_auto_scale_slots ||
             !(last->policy == row.policy);
    }
    if (!push)
      continue;
    out.push_back({config_at[i] ? std::optional<datasource_config>{*config_at[i]} : std::nullopt, row.slot_ratio,
                   row.max_slots, row.use_auto_scale_slots, row.policy, row.info, row.time});
  }
  return out;
}

} // namespace compactsim::sim::druid
