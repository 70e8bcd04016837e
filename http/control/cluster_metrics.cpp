#include "http/control/cluster_metrics.hpp"

#include <string>

namespace compactsim::http {

namespace {

using actors::backend_stats;

/// One figure per BE, from its stats; a BE that did not answer has no sample.
struct be_metric {
  const char* name;
  const char* type;
  const char* help;
  double (*get)(const backend_stats&);
};

constexpr be_metric be_metrics[] = {
  {"compactsim_be_compaction_tasks_started_total", "counter", "Compaction tasks started.",
   [](const backend_stats& s) { return double(s.started); }},
  {"compactsim_be_compaction_tasks_finished_total", "counter", "Compaction tasks that succeeded.",
   [](const backend_stats& s) { return double(s.finished); }},
  {"compactsim_be_compaction_tasks_failed_total", "counter", "Compaction tasks that failed.",
   [](const backend_stats& s) { return double(s.failed); }},
  {"compactsim_be_load_rejected_total", "counter", "Loads rejected (-235 TOO_MANY_VERSION, disk full).",
   [](const backend_stats& s) { return double(s.rejected_loads); }},
  {"compactsim_be_max_tablet_version_num", "gauge", "Most versions (rowsets) of any tablet on the BE.",
   [](const backend_stats& s) { return double(s.max_version_count); }},
  {"doris_be_tablet_cumulative_max_compaction_score", "gauge", "Highest cumulative compaction score.",
   [](const backend_stats& s) { return double(s.max_cumulative_score); }},
  {"doris_be_tablet_base_max_compaction_score", "gauge", "Highest base compaction score.",
   [](const backend_stats& s) { return double(s.max_base_score); }},
};

void add_druid(std::vector<prometheus::family>& out, const actors::cluster_metrics& m) {
  if (m.overlord) {
    const auto& o = *m.overlord;
    out.push_back({"compactsim_druid_task_slots_capacity", "gauge", "Task slots of every worker.", {}});
    out.back().add({}, o.total_slots);
    out.push_back({"compactsim_druid_task_slots_used", "gauge", "Task slots in use.", {}});
    out.back().add({}, o.used_slots);
    prometheus::family active{"compactsim_druid_compaction_tasks_active", "gauge",
                              "Compaction tasks waiting, pending or running.", {}};
    prometheus::family failed{"compactsim_druid_compaction_tasks_failed", "gauge", "Compaction tasks that failed.", {}};
    for (const auto& [ds, t] : o.tasks_by_datasource) {
      active.add({{"datasource", ds}}, t.active);
      failed.add({{"datasource", ds}}, t.failed);
    }
    out.push_back(std::move(active));
    out.push_back(std::move(failed));
    prometheus::family segments{"compactsim_druid_segments", "gauge", "Visible used segments.", {}};
    for (const auto& [ds, n] : o.segments_by_datasource)
      segments.add({{"datasource", ds}}, static_cast<double>(n));
    out.push_back(std::move(segments));
  }
  if (m.coordinator) {
    const auto& c = *m.coordinator;
    const char* names[] = {"compactsim_druid_compaction_bytes_awaiting", "compactsim_druid_compaction_bytes_compacted",
                           "compactsim_druid_compaction_bytes_skipped"};
    for (int k = 0; k < 3; ++k) {
      prometheus::family f{names[k], "gauge", "From the last CompactSegments run (the status endpoint's figures).", {}};
      for (const auto& d : c.datasources)
        f.add({{"datasource", d.name}},
              static_cast<double>(k == 0 ? d.awaiting_bytes : k == 1 ? d.compacted_bytes : d.skipped_bytes));
      out.push_back(std::move(f));
    }
    out.push_back({"compactsim_druid_compaction_duty_runs_total", "counter", "CompactSegments runs.", {}});
    out.back().add({}, static_cast<double>(c.duty_runs));
  }
}

} // namespace

std::vector<prometheus::family> cluster_families(const actors::cluster_metrics& m) {
  std::vector<prometheus::family> out;
  for (const auto& metric : be_metrics) {
    prometheus::family f{metric.name, metric.type, metric.help, {}};
    for (std::size_t i = 0; i < m.backends.size(); ++i)
      if (m.backends[i])
        f.add({{"be", std::to_string(i)}}, metric.get(*m.backends[i]));
    out.push_back(std::move(f));
  }
  prometheus::family up{"compactsim_be_up", "gauge", "1 when the BE answered within the bound.", {}};
  for (std::size_t i = 0; i < m.backends.size(); ++i)
    up.add({{"be", std::to_string(i)}}, m.backends[i] ? 1 : 0);
  out.push_back(std::move(up));
  if (m.loads) {
    out.push_back({"compactsim_loads_published_total", "counter", "Loads the FE published.", {}});
    out.back().add({}, static_cast<double>(m.loads->first));
    out.push_back({"compactsim_loads_rejected_total", "counter", "Loads that failed on some replica.", {}});
    out.back().add({}, static_cast<double>(m.loads->second));
  }
  add_druid(out, m);
  return out;
}

} // namespace compactsim::http
