#include "sim/druid/overlord.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

namespace compactsim::sim::druid {

namespace json = boost::json;

namespace {

constexpr std::int64_t realtime_priority = 75; ///< Tasks.DEFAULT_REALTIME_TASK_PRIORITY

const json::value& field(const json::object& o, std::string_view k) { return member(o, k); }

bool allow_non_aligned(const compact_task& t) {
  const auto& io = field(t.payload, "ioConfig");
  return io.is_object() && field(io.as_object(), "allowNonAlignedInterval").is_bool() &&
         field(io.as_object(), "allowNonAlignedInterval").get_bool();
}

} // namespace

std::string_view to_string(task_state s) {
  switch (s) {
  case task_state::running: return "RUNNING";
  case task_state::success: return "SUCCESS";
  case task_state::failed: return "FAILED";
  }
  return "";
}

std::string_view to_string(runner_state s) {
  switch (s) {
  case runner_state::waiting: return "WAITING";
  case runner_state::pending: return "PENDING";
  case runner_state::running: return "RUNNING";
  case runner_state::none: return "NONE";
  }
  return "";
}

overlord::overlord(knobs k, std::vector<worker> workers, std::uint64_t seed)
  : knobs_(k), workers_(std::move(workers)), rng_(seed) {}

std::variant<std::string, error> overlord::submit(const json::value& spec, time_ms now) {
  auto parsed = parse_compact_task(spec);
  if (auto* e = std::get_if<error>(&parsed))
    return *e;
  auto t = std::move(std::get<compact_task>(parsed));
  const auto& o = spec.as_object();
  if (t.id.empty())
    t.id = new_task_id("", t.data_source, now, rng_);
  if (tasks_.count(t.id))
    return error{error_kind::entry_exists, "Task[" + t.id + "] already exists"};

  t.payload = o;
  t.payload["id"] = t.id;
  t.seq = next_seq_++;
  t.created = now;
  auto key = t.id;
  if (trace_)
    emit(now, "task.submit", {{"task", key}, {"dataSource", t.data_source}, {"interval", format_interval(t.span)}});
  tasks_.emplace(key, std::move(t));
  return key;
}

void overlord::fail(compact_task& t, time_ms now, std::string message) {
  release(t);
  t.duration = t.runner == runner_state::running ? now - t.started : 0;
  t.state = task_state::failed;
  t.runner = runner_state::none;
  t.error = std::move(message);
  if (trace_)
    emit(now, "task.fail", {{"task", t.id}, {"error", t.error}});
}

void overlord::release(compact_task& t) {
  for (auto [w, n] : t.claimed)
    workers_[std::size_t(w)].used -= n;
  t.claimed.clear();
  t.locked = false;
}

bool overlord::lock_free(const compact_task& t, time_ms now) const {
  for (const auto& [id, other] : tasks_)
    if (other.locked && other.data_source == t.data_source && other.span.overlaps(t.span))
      return false;
  // A streaming lock has a higher priority: the compaction waits for it.
  if (auto s = stream_locks_.find(t.data_source); s != stream_locks_.end())
    for (const auto& [span, until] : s->second)
      if (until > now && span.overlaps(t.span))
        return false;
  return true;
}

bool overlord::start(compact_task& t, time_ms now) {
  // The supervisor task takes the worker with the most free slots (lowest
  // index on ties); parallel sub-tasks take what else is free.
  int best = -1;
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    int free = workers_[w].capacity - workers_[w].used;
    if (free > 0 && (best < 0 || free > workers_[std::size_t(best)].capacity - workers_[std::size_t(best)].used))
      best = int(w);
  }
  if (best < 0)
    return false;
  // The lowest peon port no task on that worker holds.
  std::set<int> taken;
  for (const auto& [id, other] : tasks_)
    if (other.active() && other.runner == runner_state::running && other.worker == best)
      taken.insert(other.port);
  int port = knobs_.peon_port_start;
  while (taken.count(port))
    ++port;
  workers_[std::size_t(best)].used += 1;
  t.claimed.push_back({best, 1});
  int wanted = t.slots - 1, subtasks = 0;
  for (std::size_t w = 0; w < workers_.size() && wanted > 0; ++w) {
    int take = std::min(wanted, workers_[w].capacity - workers_[w].used);
    if (take > 0) {
      workers_[w].used += take;
      t.claimed.push_back({int(w), take});
      wanted -= take;
      subtasks += take;
    }
  }
  t.worker = best;
  t.port = port;
  t.runner = runner_state::running;
  t.started = now;
  auto parallel = std::max(1, subtasks);
  auto read_ms = t.input_bytes * 1000 / std::max<std::int64_t>(knobs_.task_bytes_per_sec * parallel, 1);
  t.finish_at = now + knobs_.task_startup_ms + read_ms;
  if (trace_)
    emit(now, "task.start", {{"task", t.id}, {"worker", workers_[std::size_t(best)].host}, {"bytes", t.input_bytes},
                             {"slots", 1 + subtasks}});
  return true;
}

std::vector<started> overlord::step(time_ms now) {
  std::vector<started> out;
  std::vector<compact_task*> order;
  for (auto& [id, t] : tasks_)
    if (t.active())
      order.push_back(&t);
  // Higher priority first, then submission order (TaskQueue's ordering).
  std::sort(order.begin(), order.end(), [](const compact_task* a, const compact_task* b) {
    return a->priority != b->priority ? a->priority > b->priority : a->seq < b->seq;
  });
  for (auto* t : order) {
    if (t->runner == runner_state::waiting) {
      // isReady: find the input segments, then take the time-chunk lock.
      const auto* tl = store_.find(t->data_source);
      std::vector<const segment*> inputs;
      if (!t->segment_ids.empty()) {
        std::set<std::string> wanted(t->segment_ids.begin(), t->segment_ids.end());
        std::vector<const segment*> found;
        if (tl)
          for (const auto& s : tl->segments)
            if (wanted.count(segment_id(t->data_source, s)))
              found.push_back(&s);
        if (found.size() != wanted.size()) {
          fail(*t, now, "Encountered error[Specified segments in the spec are different from the current used "
                        "segments. Possibly new segments would have been added or some segments have been "
                        "unpublished.] while waiting for task to be ready. See Overlord logs for more details.");
          continue;
        }
        interval u = found.front()->span;
        for (const auto* s : found)
          u = {std::min(u.start, s->span.start), std::max(u.end, s->span.end)};
        t->span = u;
        inputs = tl->overlapping(u);
      } else if (tl) {
        inputs = tl->overlapping(t->span);
      }
      if (inputs.empty()) {
        fail(*t, now, "Encountered error[No segments found for compaction. Please check that datasource name and "
                      "interval are correct.] while waiting for task to be ready. See Overlord logs for more details.");
        continue;
      }
      // allowNonAlignedInterval is false by default: an explicit segment
      // granularity must tile the interval, or buckets would drop data.
      if (t->segment_granularity && !allow_non_aligned(*t) && !aligned(*t->segment_granularity, t->span)) {
        fail(*t, now, "Interval[" + format_interval(t->span) + "] to compact is not aligned with segmentGranularity[" +
                          std::string{to_string(*t->segment_granularity)} + "]");
        continue;
      }
      if (!lock_free(*t, now))
        continue;
      t->locked = true;
      t->runner = runner_state::pending;
      t->queued = now; // TaskQueue hands it to the runner: its work item's queueInsertionTime
      t->input_ids.clear();
      t->input_bytes = 0;
      for (const auto* s : inputs) {
        t->input_ids.push_back(segment_id(t->data_source, *s));
        t->input_bytes += s->size;
      }
    }
    if (t->runner == runner_state::pending && start(*t, now))
      out.push_back({t->id, t->finish_at});
  }
  return out;
}

void overlord::finish(const std::string& id, time_ms now) {
  auto it = tasks_.find(id);
  if (it == tasks_.end() || !it->second.active() || it->second.runner != runner_state::running)
    return;
  auto& t = it->second;
  // The inputs must still be the used segments (a higher-priority task or a
  // user may have replaced them meanwhile).
  const auto* tl = store_.find(t.data_source);
  std::set<std::string> current;
  if (tl)
    for (const auto* s : tl->overlapping(t.span))
      current.insert(segment_id(t.data_source, *s));
  bool injected = task_failure_p_ > 0 && rng_.chance(task_failure_p_);
  for (const auto& in : t.input_ids)
    if (!current.count(in))
      injected = true;
  if (injected) {
    fail(t, now, "Ran [1] specs, [0] succeeded, [1] failed");
    return;
  }
  publish(t, now);
  release(t);
  t.state = task_state::success;
  t.runner = runner_state::none;
  t.duration = now - t.started;
  if (trace_)
    emit(now, "task.success", {{"task", t.id}, {"duration", t.duration}});
}


std::int64_t overlord::expected_rows(const std::string& ds) const {
  auto in = ingested_rows_.find(ds);
  auto dropped = dropped_rows_.find(ds);
  return (in == ingested_rows_.end() ? 0 : in->second) - (dropped == dropped_rows_.end() ? 0 : dropped->second);
}

void overlord::emit(time_ms now, std::string_view kind, std::initializer_list<trace_field> data) {
  // `now` is the overlord's clock (skewed by a clock_skew fault): the trace
  // takes the simulation's time and the node's apart.
  trace_->emit({now - clock_skew_, "overlord", kind, data, clock_skew_ != 0 ? now : -1});
}

void overlord::shutdown(const std::string& id, time_ms now, std::string reason) {
  auto it = tasks_.find(id);
  if (it != tasks_.end() && it->second.active())
    fail(it->second, now, std::move(reason));
}

void overlord::worker_lost(int worker, time_ms now, const std::string& message) {
  if (worker < 0 || std::size_t(worker) >= workers_.size())
    return;
  for (auto& [id, t] : tasks_)
    if (t.active() && std::any_of(t.claimed.begin(), t.claimed.end(), [&](auto c) { return c.first == worker; }))
      fail(t, now, message);
  auto& w = workers_[std::size_t(worker)];
  if (w.configured < 0)
    w.configured = w.capacity;
  w.capacity = 0;
  w.used = 0;
  if (trace_)
    emit(now, "worker.lost", {{"worker", w.host}});
}

void overlord::worker_back(int worker) {
  if (worker < 0 || std::size_t(worker) >= workers_.size())
    return;
  auto& w = workers_[std::size_t(worker)];
  if (w.configured >= 0)
    w.capacity = w.configured;
}

void overlord::ingest(const std::string& ds, interval span, std::int64_t rows, std::int64_t bytes,
                      const segment_schema& schema, time_ms now) {
  auto& tl = store_.writable(ds);
  // SegmentAllocateAction: a row lands in the existing chunk that holds its
  // interval (a compacted, coarser one included), as a new partition of that
  // chunk's version; otherwise it starts a new chunk at version `now`.
  segment s;
  s.span = span;
  s.version = now;
  for (const auto& other : tl.segments)
    if (other.span.contains(span)) {
      s.span = other.span;
      break;
    }
  std::optional<time_ms> version;
  for (const auto& other : tl.segments)
    if (other.span == s.span)
      version = std::max(version.value_or(other.version), other.version);
  std::int32_t next = 0;
  if (version) {
    s.version = *version;
    for (const auto& other : tl.segments)
      if (other.span == s.span && other.version == *version)
        next = std::max(next, other.partition + 1);
  }
  s.partition = next;
  // Streaming ingestion (priority 75) revokes the time-chunk locks of
  // lower-priority tasks on its chunk: such a compaction fails.
  for (auto& [id, t] : tasks_)
    if (t.locked && t.data_source == ds && t.span.overlaps(s.span) && t.priority < realtime_priority)
      fail(t, now, "Ran [1] specs, [0] succeeded, [1] failed");
  // The streaming task holds its chunk's lock while it writes and until
  // its publish and handoff; expired locks of the datasource are dropped.
  auto& held = stream_locks_[ds];
  std::erase_if(held, [now](const auto& l) { return l.second <= now; });
  held[s.span] = now + knobs_.streaming_lock_linger_ms;
  s.rows = rows;
  s.size = bytes;
  s.schema = tl.intern(schema);
  ingested_rows_[ds] += rows;
  if (trace_)
    emit(now, "segment.ingest", {{"segment", segment_id(ds, s)}, {"rows", rows}});
  store_.add(ds, s);
}

const compact_task* overlord::find(const std::string& id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

std::vector<const compact_task*> overlord::tasks() const {
  std::vector<const compact_task*> out;
  for (const auto& [id, t] : tasks_)
    out.push_back(&t);
  std::sort(out.begin(), out.end(), [](const compact_task* a, const compact_task* b) { return a->seq < b->seq; });
  return out;
}

std::vector<active_task> overlord::active_compaction_tasks() const {
  std::vector<active_task> out;
  for (const auto* t : tasks())
    if (t->active())
      out.push_back({t->id, t->data_source, t->span, t->segment_granularity,
                     t->payload.contains("granularitySpec") && t->payload.at("granularitySpec").is_object(), t->slots});
  return out;
}

std::vector<held_lock> overlord::locks(time_ms now) const {
  std::vector<held_lock> out;
  for (const auto* t : tasks())
    if (t->locked)
      out.push_back({t->id, t->data_source, t->span, t->priority});
  for (const auto& [ds, held] : stream_locks_)
    for (const auto& [span, until] : held)
      if (until > now)
        out.push_back({"index_kafka_" + ds, ds, span, realtime_priority});
  return out;
}

int overlord::total_capacity() const {
  int n = 0;
  for (const auto& w : workers_)
    n += w.capacity;
  return n;
}

int overlord::used_capacity() const {
  int n = 0;
  for (const auto& w : workers_)
    n += w.used;
  return n;
}


} // namespace compactsim::sim::druid
