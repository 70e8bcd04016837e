#pragma once
//! Routing as data: (method, path pattern) -> handler. Patterns are literal
//! segments or `{name}` captures. Tested in-process, no sockets.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/url/params_view.hpp>

#include "http/message.hpp"

namespace compactsim::http {

/// A parsed request as a handler gets it.
struct call {
  const request& req;
  std::string path;                               ///< decoded path
  boost::urls::params_view query;                 ///< decoded query parameters
  std::map<std::string, std::string> captures;    ///< `{name}` segments

  /// First value of query parameter `key`, if present.
  std::optional<std::string> param(std::string_view key) const;
};

using handler = std::function<void(const call&, responder)>;

class route_table {
public:
  /// Registers `method path`; later registrations never shadow earlier ones.
  void add(std::string method, std::string pattern, handler h);

  /// Routes one request; unknown paths and methods get `not_found`.
  void dispatch(const request& req, responder respond) const;

  /// Every registered (method, pattern), in registration order.
  std::vector<std::pair<std::string, std::string>> routes() const;

  /// The pattern that `req` would be routed to ("/api/compaction/run",
  /// "/sim/v1/faults/{id}"), or "" when none matches its path and method.
  std::string route_of(const request& req) const;

  /// The answer when nothing matches (Doris BE: 404 "Not Found").
  response not_found = response::text(404, "Not Found");
  /// When set, the answer to a known path with another method (JAX-RS: 405);
  /// an Allow header lists the path's methods. Unset: `not_found`.
  std::optional<response> method_not_allowed;

private:
  struct entry {
    std::string method;
    std::vector<std::string> segments;
    std::string pattern;
    handler fn;
  };
  /// Whether `e`'s path matches `segments`, filling `captures` if given.
  static bool matches(const entry& e, const std::vector<std::string>& segments,
                      std::map<std::string, std::string>* captures);
  std::vector<entry> entries_;
};

} // namespace compactsim::http
