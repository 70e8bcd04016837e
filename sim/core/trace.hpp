#pragma once
//! What happened, when and where: the events the models report to a run's
//! trace (the scenario runner hashes them for its determinism check and
//! writes them as JSON lines when asked). Live serving sets no sink and pays
//! nothing; a run pays no allocation per event: fields are typed views.

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace compactsim::sim {

/// One named value of an event: an integer, a number, text or a flag.
struct trace_field {
  enum class type : std::uint8_t { integer, real, text, boolean };

  std::string_view key;
  type kind = type::integer;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;

  template <std::integral T>
    requires(!std::same_as<T, bool>)
  trace_field(std::string_view k, T v) : key(k), kind(type::integer), integer(static_cast<std::int64_t>(v)) {}
  trace_field(std::string_view k, bool v) : key(k), kind(type::boolean), integer(v) {}
  trace_field(std::string_view k, double v) : key(k), kind(type::real), real(v) {}
  trace_field(std::string_view k, std::string_view v) : key(k), kind(type::text), text(v) {}
  trace_field(std::string_view k, const std::string& v) : key(k), kind(type::text), text(v) {}
  trace_field(std::string_view k, const char* v) : key(k), kind(type::text), text(v) {}
};

/// One event. Everything in it is a view, valid for the duration of the
/// emit() call: a sink that keeps anything copies it.
struct trace_event {
  time_ms at = 0;
  std::string_view node;     ///< "be:0", "overlord", "coordinator", "runner"
  std::string_view kind;     ///< "compaction.finish", "task.success", ...
  std::initializer_list<trace_field> data;
  /// The node's own clock when it runs skewed (a clock_skew fault), -1
  /// otherwise: `at` is always the simulation's time, so a trace stays in
  /// order whatever the nodes' clocks say.
  time_ms node_at = -1;
};

class trace_sink {
public:
  virtual ~trace_sink() = default;
  virtual void emit(const trace_event& e) = 0;
};

} // namespace compactsim::sim
