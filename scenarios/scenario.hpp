#pragma once
//! A scenario: a cluster, its workloads, and a timeline of HTTP steps,
//! faults, heals and assertions at virtual times, plus the invariants to
//! check throughout and an optional heal-all liveness phase. Read from JSON
//! (comments and trailing commas allowed); `{"range": [lo, hi]}` in place
//! of a number lets the seed choose it (swarm testing).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "sim/cluster_config.hpp"
#include "sim/core/fault_spec.hpp"

namespace compactsim::scenarios {

using sim::time_ms;

/// "250ms", "90s", "5m", "2h", "1d", ISO "PT5M", or a number of milliseconds.
std::optional<time_ms> parse_duration(const boost::json::value& v);
/// "1h30m0.000s"-style text of a duration, for messages.
std::string format_duration(time_ms d);

/// A request to the cluster's real API.
struct http_spec {
  std::string node;                 ///< "be:N" or "druid"
  std::string method = "GET";
  std::string path;                 ///< may hold ${captures}
  std::optional<boost::json::value> body; ///< a string is sent as it is, anything else as JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

/// What a response must be: a status and a subset of its JSON body.
struct expectation {
  std::optional<unsigned> status;
  std::optional<boost::json::value> body;   ///< objects: every key given must match; arrays: same length
  std::optional<std::string> text;          ///< the whole body as text
};

/// A number read off the cluster's models ("doris.max_version_count", ...).
struct metric_check {
  std::string metric;
  boost::json::object args;                 ///< {"be": 1}, {"dataSource": "wiki"}, {"type": "base"}
  std::optional<double> min, max, equals;
};

using sim::fault_spec;

enum class step_kind { http, wait, fault, heal, check, ingest };

/// An "ingest" step: loads into a Doris table and/or segments streamed into
/// a Druid datasource, as POST /sim/v1/ingest takes them.
struct ingest_spec {
  std::optional<std::int64_t> doris_table;
  int doris_loads = 1;
  bool doris_delete = false;
  std::optional<std::string> druid_datasource;
  int druid_segments = 1;
  std::int64_t druid_rows = 1000;
  std::int64_t druid_bytes = 100'000;
};

struct step {
  time_ms at = 0;
  bool at_end = false;                      ///< "at": "end"
  std::string name;
  step_kind kind = step_kind::http;
  std::size_t index = 0;                    ///< its position in the file's "steps"
  http_spec http;                           ///< http; wait (with http)
  expectation expect;                       ///< http; wait's "until"
  std::map<std::string, std::string> capture; ///< name -> JSON pointer into the body
  std::optional<metric_check> metric;       ///< check; wait (with metric)
  time_ms every = 10'000, timeout = 600'000; ///< wait
  fault_spec fault;
  std::string heal;                         ///< fault id or "all"
  ingest_spec ingest;
};

struct liveness {
  time_ms heal_at = 0;
  time_ms within = 3'600'000;
  std::vector<metric_check> expect;
};

struct scenario {
  std::string file;                  ///< where it was read from ("" when not from a file): the replay command
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  time_ms duration = 3'600'000;
  time_ms check_every = 60'000;             ///< how often invariants are checked
  sim::cluster_config cluster;
  std::vector<boost::json::object> druid_compaction; ///< auto-compaction configs set at start
  std::optional<double> druid_slot_ratio;
  std::optional<std::int64_t> druid_max_slots;
  std::vector<step> steps;                  ///< in timeline order
  std::vector<std::string> invariants;      ///< the ones to check (default: all)
  std::optional<liveness> live;
  std::vector<std::pair<std::string, std::string>> resolved; ///< swarm choices: path, value
};

/// Every invariant the runner knows.
const std::vector<std::string>& invariant_names();

/// Reads a scenario. `seed` overrides the file's (and drives its ranges).
/// On error returns nullopt and sets `error` ("steps[3].fault.kind: ...",
/// or "line L, column C: ..." for JSON syntax).
std::optional<scenario> parse_scenario(const std::string& text, std::optional<std::uint64_t> seed, std::string& error);

/// The scenario file as plain JSON with the seed's choices fixed: every
/// {"range": [lo, hi]} replaced by the value `seed` (or the file's seed)
/// picks, and "seed" set. It parses to the same scenario, with no ranges.
std::optional<boost::json::value> fixed_document(const std::string& text, std::optional<std::uint64_t> seed,
                                                 std::string& error);

} // namespace compactsim::scenarios
