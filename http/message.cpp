#include "http/message.hpp"

#include <boost/algorithm/string/predicate.hpp>

namespace compactsim::http {

std::optional<std::string_view> request::find_header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (boost::algorithm::iequals(key, name))
      return std::string_view{value};
  return std::nullopt;
}

response response::json(unsigned status, std::string body) {
  return response{status, "application/json", std::move(body), {}};
}

response response::text(unsigned status, std::string body) {
  return response{status, "text/plain; charset=utf-8", std::move(body), {}};
}

} // namespace compactsim::http
