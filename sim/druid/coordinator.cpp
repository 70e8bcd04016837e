#include "sim/druid/coordinator.hpp"

namespace compactsim::sim::druid {

duty_input input_for(const cluster_compaction_config& config, const duty_view& view, time_ms now) {
  duty_input in;
  in.config = &config;
  in.timelines = view.timelines;
  in.active = view.active;
  in.locks = view.locks;
  in.current_capacity = view.current_capacity;
  in.now = now;
  return in;
}

simulation coordinator::simulate(const duty_view& view, time_ms now, const cluster_update& request) const {
  return simulate_compact_segments(input_for(configs_.current(), view, now), request.policy);
}

duty_result coordinator::run(const duty_view& view, time_ms now) {
  auto in = input_for(configs_.current(), view, now);
  auto result = run_compact_segments(in, ids_);
  latest_ = result.snapshot;
  ++runs_;
  if (trace_) {
    std::int64_t awaiting = 0;
    for (const auto& s : latest_)
      awaiting += s.awaiting.bytes;
    trace_->emit({now - clock_skew_, "coordinator", "duty.run",
                  {{"submitted", result.submissions.size()}, {"cancelled", result.cancellations.size()},
                   {"maxSlots", result.max_slots}, {"availableSlots", result.available_slots},
                   {"bytesAwaiting", awaiting}},
                  clock_skew_ != 0 ? now : -1});
  }
  return result;
}

const auto_compaction_snapshot* compaction_status::find(const std::string& ds) const {
  for (const auto& s : latest)
    if (s.data_source == ds)
      return &s;
  return nullptr;
}

} // namespace compactsim::sim::druid
