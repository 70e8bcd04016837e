#pragma once
//! What happened, when and where: the events the models report to a run's
//! trace (the scenario runner writes them as JSON lines and hashes them for
//! its determinism check). Live serving sets no sink and pays nothing.

#include <string>

#include <boost/json/object.hpp>

#include "sim/types.hpp"

namespace compactsim::sim {

struct trace_event {
  time_ms at = 0;
  std::string node;          ///< "be:0", "overlord", "coordinator", "runner"
  std::string kind;          ///< "compaction.finish", "task.success", ...
  boost::json::object data;
};

class trace_sink {
public:
  virtual ~trace_sink() = default;
  virtual void emit(trace_event e) = 0;
};

} // namespace compactsim::sim
