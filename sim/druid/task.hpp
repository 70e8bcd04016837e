#pragma once
//! What a Druid compaction task is: its states, its record on the overlord,
//! and how its JSON spec is read and validated as Druid's CompactionTask
//! constructor does (the messages are Druid's).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "sim/core/iso8601.hpp"

namespace compactsim::sim::druid {

/// Why a request failed, as the HTTP layer maps it to Druid's answer.
enum class error_kind : std::uint8_t {
  jackson,        ///< 400 {"error": msg} (CustomExceptionMapper)
  invalid_input,  ///< 400 ErrorResponse, errorCode invalidInput
  entry_exists,   ///< 400 ErrorResponse, errorCode entryAlreadyExists
};

struct error {
  error_kind kind = error_kind::jackson;
  std::string message;
};

enum class task_state : std::uint8_t { running, success, failed };
enum class runner_state : std::uint8_t { waiting, pending, running, none };
std::string_view to_string(task_state s);
std::string_view to_string(runner_state s);

/// A compaction task on the overlord: the spec it was given, where it runs, what it read.
struct compact_task {
  std::string id;
  std::string data_source;
  std::uint64_t seq = 0;
  time_ms created = 0;
  task_state state = task_state::running;
  runner_state runner = runner_state::waiting;
  time_ms queued = 0;                      ///< when it got its locks and went to the runner (pending)
  time_ms started = 0;
  time_ms finish_at = 0;
  std::int64_t duration = -1;
  std::string error;                       ///< "" is null
  int worker = -1;
  int port = -1;
  std::vector<std::pair<int, int>> claimed; ///< (worker, slots)
  bool locked = false;
  boost::json::object payload;
  // What the spec asks for.
  interval span;
  std::vector<std::string> segment_ids;    ///< segments inputSpec
  std::optional<granularity> segment_granularity, query_granularity;
  std::optional<bool> rollup;
  boost::json::value tuning, dimensions, metrics, filter;
  bool drop_existing = false;
  bool store_state = false;
  std::int64_t priority = 25;
  int slots = 1;
  // What it read when it started.
  std::vector<std::string> input_ids;
  std::int64_t input_bytes = 0;

  bool active() const { return state == task_state::running; }
};

/// Reads a `compact` task spec. The id is the spec's, or "" for the
/// overlord to generate; on error returns Druid's error for the spec.
std::variant<compact_task, error> parse_compact_task(const boost::json::value& spec);

/// IdUtils.validateId("task ID", id), as AbstractTask's constructor calls
/// it: a Jackson creator problem.
std::optional<error> validate_task_id(const std::string& id);

/// A member of `o`, or null.
const boost::json::value& member(const boost::json::object& o, std::string_view key);

} // namespace compactsim::sim::druid
