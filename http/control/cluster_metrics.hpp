#pragma once
//! The control API's /metrics: the cluster's snapshot as Prometheus
//! families. Doris's own metric names where a BE has the figure
//! (doris_be_tablet_*_max_compaction_score), compactsim_* for the rest.

#include <vector>

#include "actors/metrics.hpp"
#include "http/prometheus.hpp"

namespace compactsim::http {

std::vector<prometheus::family> cluster_families(const actors::cluster_metrics& m);

} // namespace compactsim::http
