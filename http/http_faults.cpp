#include "http/http_faults.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace compactsim::http {

namespace json = boost::json;

json::object http_fault_rule::to_json() const {
  json::object o;
  o["id"] = id;
  o["port"] = port ? json::value(*port) : json::value(nullptr);
  o["path"] = path;
  o["probability"] = probability;
  switch (what) {
  case action::status:
    o["status"] = status;
    break;
  case action::latency:
    o["latency_ms"] = latency_ms;
    o["jitter_ms"] = jitter_ms;
    break;
  case action::reset:
    o["reset"] = true;
    break;
  case action::no_reply:
    o["no_reply"] = true;
    break;
  case action::slow_body:
    o["slow_body_bps"] = static_cast<std::int64_t>(bytes_per_second);
    break;
  }
  return o;
}

std::optional<http_fault_rule> parse_http_fault(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "expected an object";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  http_fault_rule r;
  if (auto* id = o.if_contains("id"); id && id->is_string())
    r.id = std::string{id->get_string()};
  if (auto* p = o.if_contains("port")) {
    if (!p->is_int64() || p->get_int64() < 1 || p->get_int64() > 65535) {
      error = "port: expected a port number";
      return std::nullopt;
    }
    r.port = static_cast<std::uint16_t>(p->get_int64());
  }
  if (auto* p = o.if_contains("path")) {
    if (!p->is_string() || !p->get_string().starts_with("/")) {
      error = "path: expected a path prefix starting with /";
      return std::nullopt;
    }
    r.path = std::string{p->get_string()};
  }
  if (auto* p = o.if_contains("probability")) {
    if (!p->is_number() || p->to_number<double>() < 0 || p->to_number<double>() > 1) {
      error = "probability: expected a number within [0, 1]";
      return std::nullopt;
    }
    r.probability = p->to_number<double>();
  }
  int actions = 0;
  if (auto* s = o.if_contains("status")) {
    if (!s->is_int64() || s->get_int64() < 100 || s->get_int64() > 599) {
      error = "status: expected an HTTP status code";
      return std::nullopt;
    }
    r.what = http_fault_rule::action::status;
    r.status = static_cast<unsigned>(s->get_int64());
    if (auto* b = o.if_contains("body"); b && b->is_string())
      r.body = std::string{b->get_string()};
    ++actions;
  }
  if (auto* l = o.if_contains("latency_ms")) {
    if (!l->is_int64() || l->get_int64() < 0 || l->get_int64() > 600'000) {
      error = "latency_ms: expected milliseconds within [0, 600000]";
      return std::nullopt;
    }
    r.what = http_fault_rule::action::latency;
    r.latency_ms = l->get_int64();
    if (auto* j = o.if_contains("jitter_ms"); j && j->is_int64() && j->get_int64() >= 0)
      r.jitter_ms = j->get_int64();
    ++actions;
  }
  if (auto* x = o.if_contains("reset"); x && x->is_bool() && x->get_bool()) {
    r.what = http_fault_rule::action::reset;
    ++actions;
  }
  if (auto* x = o.if_contains("no_reply"); x && x->is_bool() && x->get_bool()) {
    r.what = http_fault_rule::action::no_reply;
    ++actions;
  }
  if (auto* x = o.if_contains("slow_body_bps")) {
    if (!x->is_int64() || x->get_int64() < 1 || x->get_int64() > 100'000'000) {
      error = "slow_body_bps: expected bytes per second within [1, 100000000]";
      return std::nullopt;
    }
    r.what = http_fault_rule::action::slow_body;
    r.bytes_per_second = static_cast<std::uint32_t>(x->get_int64());
    ++actions;
  }
  if (actions != 1) {
    error = "give exactly one of status, latency_ms, reset, no_reply and slow_body_bps";
    return std::nullopt;
  }
  return r;
}

std::optional<http_fault_rule> http_fault_table::add(http_fault_rule r) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (rules_.size() >= max_rules)
    return std::nullopt;
  if (r.id.empty() || std::any_of(rules_.begin(), rules_.end(), [&](const auto& x) { return x.id == r.id; }))
    r.id = "http-" + std::to_string(next_id_++);
  rules_.push_back(r);
  return r;
}

bool http_fault_table::remove(const std::string& id) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto before = rules_.size();
  std::erase_if(rules_, [&](const auto& r) { return r.id == id; });
  return rules_.size() != before;
}

std::vector<std::string> http_fault_table::clear() {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<std::string> ids;
  for (const auto& r : rules_)
    ids.push_back(r.id);
  rules_.clear();
  return ids;
}

std::vector<http_fault_rule> http_fault_table::rules() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return rules_;
}

std::optional<std::pair<http_fault_rule, std::chrono::milliseconds>> http_fault_table::roll(std::uint16_t port,
                                                                                          std::string_view target) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto path = target.substr(0, target.find('?'));
  for (const auto& r : rules_) {
    if ((r.port && *r.port != port) || !path.starts_with(r.path))
      continue;
    if (r.probability < 1 && !rng_.chance(r.probability))
      continue;
    auto jitter = r.jitter_ms > 0 ? static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(2 * r.jitter_ms + 1))) - r.jitter_ms : 0;
    return std::make_pair(r, std::chrono::milliseconds{std::max<std::int64_t>(0, r.latency_ms + jitter)});
  }
  return std::nullopt;
}

dispatcher with_http_faults(dispatcher inner, http_fault_table& table, std::uint16_t port, delay_fn delay) {
  return [inner = std::move(inner), &table, port, delay = std::move(delay)](request req, responder respond) {
    auto hit = table.roll(port, req.target);
    if (!hit)
      return inner(std::move(req), std::move(respond));
    const auto& [rule, latency] = *hit;
    switch (rule.what) {
    case http_fault_rule::action::status:
      return respond(response::json(rule.status, rule.body));
    case http_fault_rule::action::reset: {
      response r;
      r.drop_connection = true;
      return respond(std::move(r));
    }
    case http_fault_rule::action::no_reply:
      return; // the server's handler timeout (or the client's) ends it
    case http_fault_rule::action::slow_body:
      // The real answer, its body sent a few bytes at a time.
      return inner(std::move(req), [respond = std::move(respond), rate = rule.bytes_per_second](response r) {
        r.body_bytes_per_second = rate;
        respond(std::move(r));
      });
    case http_fault_rule::action::latency:
      // The request is served when the latency has passed.
      delay(latency, [inner, req = std::move(req), respond = std::move(respond)]() mutable {
        inner(std::move(req), std::move(respond));
      });
      return;
    }
  };
}

} // namespace compactsim::http
