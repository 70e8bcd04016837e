#include "http/route_table.hpp"

#include <boost/url/parse.hpp>

namespace compactsim::http {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string_view::npos)
      next = path.size();
    if (next > pos)
      out.emplace_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

bool is_capture(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

} // namespace

std::optional<std::string> call::param(std::string_view key) const {
  auto it = query.find(key);
  if (it == query.end())
    return std::nullopt;
  return std::string{(*it).value};
}

void route_table::add(std::string method, std::string pattern, handler h) {
  entries_.push_back({std::move(method), split_path(pattern), pattern, std::move(h)});
}

std::vector<std::pair<std::string, std::string>> route_table::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : entries_)
    out.emplace_back(e.method, e.pattern);
  return out;
}

bool route_table::matches(const entry& e, const std::vector<std::string>& segments,
                          std::map<std::string, std::string>* captures) {
  if (e.segments.size() != segments.size())
    return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (is_capture(e.segments[i])) {
      if (captures)
        (*captures)[e.segments[i].substr(1, e.segments[i].size() - 2)] = segments[i];
    } else if (e.segments[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

std::string route_table::route_of(const request& req) const {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url)
    return {};
  auto segments = split_path(url->path());
  for (const auto& e : entries_)
    if (e.method == req.method && matches(e, segments, nullptr))
      return e.pattern;
  return {};
}

void route_table::dispatch(const request& req, responder respond) const {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) {
    respond(response::json(400, R"({"error":"malformed request target"})"));
    return;
  }
  std::string path = url->path();
  auto segments = split_path(path);
  std::string allowed;
  for (const auto& e : entries_) {
    std::map<std::string, std::string> captures;
    if (!matches(e, segments, &captures))
      continue;
    if (e.method != req.method) {
      if (allowed.find(e.method) == std::string::npos)
        allowed += (allowed.empty() ? "" : ",") + e.method;
      continue;
    }
    call c{req, path, url->params(), std::move(captures)};
    e.fn(c, std::move(respond));
    return;
  }
  if (!allowed.empty() && method_not_allowed) {
    auto r = *method_not_allowed;
    r.headers.emplace_back("Allow", allowed);
    respond(std::move(r));
    return;
  }
  respond(not_found);
}

} // namespace compactsim::http
