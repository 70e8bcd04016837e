#include "http/control/recorder.hpp"

#include <memory>

#include "actors/service.hpp"

#include <boost/json.hpp>

namespace compactsim::http {

namespace json = boost::json;

void session_recorder::start() {
  std::lock_guard<std::mutex> guard{mutex_};
  entries_.clear();
  reset_cluster_.reset();
  since_ = now_();
  active_ = true;
}

void session_recorder::stop() {
  std::lock_guard<std::mutex> guard{mutex_};
  active_ = false;
}

bool session_recorder::active() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return active_;
}

std::size_t session_recorder::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return entries_.size();
}

void session_recorder::record(const std::string& node, const request& req, unsigned status, const std::string& body) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (!active_)
    return;
  if (node == "admin" && req.method == "POST" && req.target.substr(0, req.target.find('?')) == "/sim/v1/reset" &&
      status == 200) {
    // The cluster starts again: so does the recording, from this cluster.
    entries_.clear();
    since_ = now_();
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (!ec && body.is_object() && body.as_object().contains("cluster"))
      reset_cluster_ = body.as_object().at("cluster");
    else
      reset_cluster_.reset();
    return;
  }
  entry e;
  e.at = std::max<sim::time_ms>(now_() - since_, 0);
  e.node = node;
  e.method = req.method;
  e.target = req.target;
  e.body = req.body;
  if (auto ct = req.find_header("Content-Type"))
    e.content_type = std::string{*ct};
  e.status = status;
  if (node == "admin")
    e.answer = body; // a fault's generated id is in it
  entries_.push_back(std::move(e));
}

namespace {

json::value body_value(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  return ec ? json::value(json::string(body)) : v;
}

/// What a control API request becomes: a fault or heal step, nothing (a
/// read), or a line saying it cannot be replayed.
std::optional<json::object> control_step(const std::string& method, const std::string& target, const std::string& body,
                                         const std::string& answer, unsigned status, std::string& skipped) {
  auto path = target.substr(0, target.find('?'));
  if (method == "GET" || method == "HEAD" || status >= 400)
    return std::nullopt; // reads, and refusals that changed nothing
  if (method == "POST" && path == "/sim/v1/faults") {
    boost::system::error_code ec;
    auto fault = json::parse(body, ec);
    if (ec || !fault.is_object())
      return std::nullopt;
    auto given = json::parse(answer, ec);
    if (!ec && given.is_object() && given.as_object().contains("id"))
      fault.as_object()["id"] = given.as_object().at("id");
    return json::object{{"fault", std::move(fault)}};
  }
  if (method == "POST" && path == "/sim/v1/ingest") {
    boost::system::error_code ec;
    auto in = json::parse(body, ec);
    if (ec || !in.is_object())
      return std::nullopt;
    return json::object{{"ingest", std::move(in)}};
  }
  if (method == "DELETE" && path == "/sim/v1/faults")
    return json::object{{"heal", "all"}};
  if (method == "DELETE" && path.starts_with("/sim/v1/faults/"))
    return json::object{{"heal", path.substr(std::string_view{"/sim/v1/faults/"}.size())}};
  skipped += "//   " + method + " " + target + " (" + std::to_string(status) + ")\n";
  return std::nullopt;
}

} // namespace

std::string session_recorder::scenario(const std::string& name, const json::value& cluster, std::uint64_t seed) const {
  std::lock_guard<std::mutex> guard{mutex_};
  json::array steps;
  std::string skipped;
  sim::time_ms last = 0;
  for (const auto& e : entries_) {
    json::object step;
    if (e.node == "admin") {
      auto s = control_step(e.method, e.target, e.body, e.answer, e.status, skipped);
      if (!s)
        continue;
      step = std::move(*s);
    } else {
      json::object h{{"node", e.node}, {"method", e.method}, {"path", e.target}};
      if (!e.body.empty())
        h["body"] = e.content_type.find("json") != std::string::npos ? body_value(e.body) : json::value(json::string(e.body));
      if (!e.content_type.empty())
        h["headers"] = json::object{{"Content-Type", e.content_type}};
      step["http"] = std::move(h);
      step["expect"] = json::object{{"status", e.status}};
    }
    json::object ordered{{"at", e.at}};
    for (auto& [k, v] : step)
      ordered[k] = std::move(v);
    steps.push_back(std::move(ordered));
    last = e.at;
  }
  json::object sc{{"name", name},
                  {"description", "Recorded from a live compactsim serve: " + std::to_string(steps.size()) + " steps."},
                  {"seed", static_cast<std::int64_t>(seed)},
                  {"duration", last + 60'000}};
  const auto& ran = reset_cluster_ ? *reset_cluster_ : cluster;
  if (!ran.is_null())
    sc["cluster"] = ran;
  sc["steps"] = std::move(steps);
  std::string out = "// Recorded by compactsim serve (POST /sim/v1/record or --record): replay with compactsim run.\n";
  if (!skipped.empty())
    out += "// Not replayable as steps, and left out:\n" + skipped;
  // One member a line, one step a line: a file a person reads and edits.
  out += "{\n";
  std::size_t i = 0;
  for (const auto& [k, v] : sc) {
    out += "  " + json::serialize(json::value(k)) + ": ";
    if (k == "steps" && !v.as_array().empty()) {
      out += "[\n";
      for (std::size_t j = 0; j < v.as_array().size(); ++j)
        out += "    " + json::serialize(v.as_array()[j]) + (j + 1 < v.as_array().size() ? ",\n" : "\n");
      out += "  ]";
    } else {
      out += json::serialize(v);
    }
    out += ++i < sc.size() ? ",\n" : "\n";
  }
  return out + "}\n";
}

dispatcher recorded(dispatcher inner, std::shared_ptr<session_recorder> rec, std::string node) {
  return [inner = std::move(inner), rec, node](request req, responder r) {
    if (!rec->active())
      return inner(std::move(req), std::move(r));
    auto copy = std::make_shared<request>(req);
    inner(std::move(req), [rec, node, copy, r = std::move(r)](response res) {
      // A dropped connection (a crashed BE) is what the runner calls status 0.
      rec->record(node, *copy, res.drop_connection ? 0 : res.status, res.body);
      r(std::move(res));
    });
  };
}

void add_record_routes(route_table& t, actors::control_service& svc, std::shared_ptr<session_recorder> rec,
                       json::value cluster, std::uint64_t seed) {
  auto status = [rec] {
    return response::json(200, json::serialize(json::object{{"recording", rec->active()}, {"requests", rec->size()}}));
  };
  t.add("GET", "/sim/v1/record", [status](const call&, responder r) { r(status()); });
  t.add("POST", "/sim/v1/record", [&svc, rec, cluster, seed, status](const call& c, responder r) {
    boost::system::error_code ec;
    auto body = json::parse(c.req.body, ec);
    const json::value* action = !ec && body.is_object() ? body.as_object().if_contains("action") : nullptr;
    auto error = [&r](unsigned code, const std::string& msg) {
      r(response::json(code, json::serialize(json::object{{"error", msg}})));
    };
    if (!action || !action->is_string() || (*action != "start" && *action != "stop"))
      return error(400, R"(expected {"action": "start"} or {"action": "stop"})");
    if (*action == "start") {
      // A recording replays from a fresh cluster: start from one.
      std::string why;
      if (!svc.reset(std::nullopt, why))
        return error(409, why);
      rec->start();
      return r(status());
    }
    if (!rec->active())
      return error(409, "no recording is running");
    rec->stop();
    response out{200, "text/plain; charset=utf-8", rec->scenario("recorded", cluster, seed), {}};
    r(std::move(out));
  });
}

} // namespace compactsim::http
