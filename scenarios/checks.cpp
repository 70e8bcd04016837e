#include "scenarios/checks.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "sim/druid/overlord.hpp"

namespace compactsim::scenarios {

namespace json = boost::json;

double read_metric(const metric_check& m, const actors::cluster& c, const event_counts& by_node_kind) {
  auto arg_int = [&](std::string_view k) -> std::optional<std::int64_t> {
    auto* v = m.args.if_contains(k);
    return v && v->is_int64() ? std::optional<std::int64_t>{v->get_int64()} : std::nullopt;
  };
  auto arg_str = [&](std::string_view k) -> std::optional<std::string> {
    auto* v = m.args.if_contains(k);
    return v && v->is_string() ? std::optional<std::string>{std::string{v->get_string()}} : std::nullopt;
  };
  if (m.metric.starts_with("doris.")) {
    auto be = arg_int("be");
    auto table = arg_int("table");
    auto tablet = arg_int("tablet");
    double value = 0;
    if (m.metric == "doris.loads") {
      for (const auto& [hash, count] : by_node_kind)
        if (count.key.starts_with(be ? "be:" + std::to_string(*be) + "|load.commit" : std::string{"be:"}) &&
            count.key.find("|load.commit") != std::string::npos)
          value += static_cast<double>(count.n);
      return value;
    }
    if (m.metric == "doris.compactions") {
      auto type = arg_str("type");
      auto outcome = "compaction." + arg_str("outcome").value_or("finish");
      for (const auto& [hash, count] : by_node_kind) {
        const auto& key = count.key;
        bool node_ok = !be || key.starts_with("be:" + std::to_string(*be) + "|");
        bool kind_ok = key.find("|" + outcome) != std::string::npos;
        bool type_ok = !type || key.ends_with("|" + *type);
        if (key.starts_with("be:") && node_ok && kind_ok && type_ok)
          value += static_cast<double>(count.n);
      }
      return value;
    }
    for (std::size_t i = 0; i < c.backend_models.size(); ++i) {
      if (be && static_cast<std::size_t>(*be) != i)
        continue;
      const auto& model = *c.backend_models[i];
      if (m.metric == "doris.rejected_loads") {
        value += static_cast<double>(model.rejected_loads());
        continue;
      }
      if (m.metric == "doris.held_publishes") {
        value += static_cast<double>(model.held_publishes());
        continue;
      }
      if (m.metric == "doris.running_compactions") {
        auto type = arg_str("type");
        for (const auto& [id, t] : model.tasks())
          if ((!type || sim::to_string(t.type) == *type) && (!tablet || t.tablet_id == *tablet) &&
              (!table || model.replicas()[t.replica].table_id == *table))
            value += 1;
        continue;
      }
      for (const auto& r : model.replicas()) {
        if ((table && r.table_id != *table) || (tablet && r.tablet_id != *tablet))
          continue;
        if (m.metric == "doris.max_version_count" || m.metric == "doris.rowsets")
          value = std::max(value, static_cast<double>(r.rowsets.size()));
        else if (m.metric == "doris.max_cumulative_score")
          value = std::max(value, static_cast<double>(r.cumu_score));
        else if (m.metric == "doris.max_base_score")
          value = std::max(value, static_cast<double>(r.base_score));
        else if (m.metric == "doris.duplicates")
          value += static_cast<double>(r.duplicates);
      }
    }
    return value;
  }
  if (!c.overlord_model)
    return 0;
  auto ds = arg_str("dataSource");
  double value = 0;
  if (m.metric == "druid.bytes_awaiting" || m.metric == "druid.bytes_skipped") {
    for (const auto& s : c.coordinator_model->latest())
      if (!ds || *ds == s.data_source)
        value += static_cast<double>(m.metric == "druid.bytes_awaiting" ? s.awaiting.bytes : s.skipped.bytes);
  } else if (m.metric == "druid.segments") {
    for (const auto& [name, tl] : c.overlord_model->store().datasources())
      if (!ds || *ds == name)
        value += static_cast<double>(tl->segments.size());
  } else if (m.metric == "druid.tasks") {
    auto state = arg_str("state");
    for (const auto* t : c.overlord_model->tasks())
      if ((!ds || *ds == t->data_source) &&
          (!state || *state == "all" || sim::druid::to_string(t->state) == *state ||
           (*state == "active" && t->active())))
        value += 1;
  } else if (m.metric == "druid.duty_runs") {
    value = static_cast<double>(c.coordinator_model->runs());
  }
  return value;
}

namespace {

/// The union of the spans of a datasource's segments that hold rows, merged.
std::vector<sim::druid::interval> coverage(const sim::druid::timeline& tl) {
  std::vector<sim::druid::interval> out;
  for (const auto& s : tl.segments) {
    if (s.tombstone || s.rows == 0)
      continue;
    if (!out.empty() && s.span.start <= out.back().end)
      out.back().end = std::max(out.back().end, s.span.end);
    else
      out.push_back(s.span);
  }
  return out;
}

/// The first stretch of `before` that `now` no longer covers (both merged and sorted).
std::optional<sim::druid::interval> uncovered(const std::vector<sim::druid::interval>& before,
                                              const std::vector<sim::druid::interval>& now) {
  std::size_t j = 0;
  for (const auto& b : before) {
    auto from = b.start;
    while (from < b.end) {
      while (j < now.size() && now[j].end <= from)
        ++j;
      if (j == now.size() || now[j].start > from)
        return sim::druid::interval{from, j == now.size() ? b.end : std::min(b.end, now[j].start)};
      from = now[j].end;
    }
  }
  return std::nullopt;
}

/// No published data is lost, crashes included: a replica's visible version
/// never goes back, and time a datasource once had data for keeps data.
void check_nothing_lost(const actors::cluster& c, invariant_memory& memory, const violation_fn& violation) {
  memory.versions.resize(c.backend_models.size());
  for (std::size_t i = 0; i < c.backend_models.size(); ++i) {
    const auto& replicas = c.backend_models[i]->replicas();
    auto& seen = memory.versions[i];
    seen.resize(replicas.size(), 0);
    for (std::size_t k = 0; k < replicas.size(); ++k) {
      auto v = sim::max_version(replicas[k]);
      if (v < seen[k])
        violation("no_data_lost", "be:" + std::to_string(i) + " tablet " + std::to_string(replicas[k].tablet_id) +
                                      " went back from version " + std::to_string(seen[k]) + " to " + std::to_string(v));
      seen[k] = std::max(seen[k], v);
    }
  }
  if (!c.overlord_model)
    return;
  for (const auto& [name, tl] : c.overlord_model->store().datasources()) {
    auto now = coverage(*tl);
    auto& before = memory.covered[name];
    if (auto gap = uncovered(before, now))
      violation("no_data_lost", name + " lost the data it had for " + sim::druid::format_interval(*gap));
    before = std::move(now);
  }
}

} // namespace

void check_invariants(const actors::cluster& c, const std::vector<std::string>& wanted_names,
                      const std::map<std::int64_t, time_ms>& corrupted_at, invariant_memory& memory,
                      const violation_fn& violation) {
  auto wants = [&](const char* name) {
    return std::find(wanted_names.begin(), wanted_names.end(), name) != wanted_names.end();
  };
  if (wants("versions_contiguous"))
    for (std::size_t i = 0; i < c.backend_models.size(); ++i)
      for (const auto& r : c.backend_models[i]->replicas())
        if (r.rowsets.empty() || r.rowsets.front().start != 0 || !sim::versions_contiguous(r)) {
          auto holes = sim::missing_versions(r);
          violation("versions_contiguous", "be:" + std::to_string(i) + " tablet " + std::to_string(r.tablet_id) +
                                               " is missing versions " + (holes.empty() ? "[0-...]" : holes.front()));
        }
  if (wants("no_data_lost"))
    check_nothing_lost(c, memory, violation);
  if (wants("replicas_agree")) {
    // Replicas of a tablet at the same version hold the same rows (keys). A
    // replica may lag behind while a publish to it is late or retried.
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> first;
    for (std::size_t i = 0; i < c.backend_models.size(); ++i)
      for (const auto& r : c.backend_models[i]->replicas()) {
        std::pair<std::int64_t, std::int64_t> here{sim::max_version(r), sim::visible_rows(r) - r.duplicates};
        auto [it, fresh] = first.emplace(std::pair{r.tablet_id, here.first}, here.second);
        if (!fresh && it->second != here.second)
          violation("replicas_agree", "tablet " + std::to_string(r.tablet_id) + " at version " +
                                          std::to_string(here.first) + ": be:" + std::to_string(i) + " has " +
                                          std::to_string(here.second) + " rows, another replica " +
                                          std::to_string(it->second));
      }
  }
  if (wants("mow_repaired"))
    for (std::size_t i = 0; i < c.backend_models.size(); ++i)
      for (const auto& r : c.backend_models[i]->replicas()) {
        if (!r.merge_on_write || r.duplicates == 0)
          continue;
        auto full = r.last_success[sim::index(sim::compaction_type::full)];
        auto corrupted = corrupted_at.count(r.table_id) ? corrupted_at.at(r.table_id) : 0;
        if (full > corrupted)
          violation("mow_repaired", "be:" + std::to_string(i) + " tablet " + std::to_string(r.tablet_id) + " shows " +
                                        std::to_string(r.duplicates) + " duplicate keys after a full compaction");
      }
  if (c.overlord_model) {
    for (const auto& [name, tl] : c.overlord_model->store().datasources()) {
      if (wants("druid_rows_conserved")) {
        std::int64_t rows = 0;
        for (const auto& s : tl->segments)
          rows += s.rows;
        if (rows != c.overlord_model->expected_rows(name))
          violation("druid_rows_conserved", name + " holds " + std::to_string(rows) + " rows, ingestion and tasks account for " +
                                                std::to_string(c.overlord_model->expected_rows(name)));
      }
      if (wants("druid_no_overlap")) {
        const sim::druid::segment* widest = nullptr;
        for (const auto& s : tl->segments) {
          if (widest && s.span.start < widest->span.end && (s.span != widest->span || s.version != widest->version))
            violation("druid_no_overlap", name + ": " + sim::druid::segment_id(name, s) + " overlaps " +
                                              sim::druid::segment_id(name, *widest));
          if (!widest || s.span.end > widest->span.end)
            widest = &s;
        }
      }
    }
  }
}

} // namespace compactsim::scenarios
