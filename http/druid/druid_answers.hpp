#pragma once
//! What the Druid router's handlers share: Druid's answer shapes, the one
//! place a domain error becomes a status and body, and answering from a
//! typed request's reply.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "actors/service.hpp"
#include "http/message.hpp"
#include "http/route_table.hpp"
#include "sim/druid/coordinator.hpp"

namespace compactsim::http {

/// The coordinator's and the overlord's path prefixes, and a route under one.
inline constexpr std::string_view coordinator_prefix = "/druid/coordinator/v1";
inline constexpr std::string_view indexer_prefix = "/druid/indexer/v1";
inline std::string path(std::string_view base, std::string_view rest) { return std::string{base} + std::string{rest}; }

response empty_ok();
response empty(unsigned status);
response json_body(unsigned status, const boost::json::value& v);
/// {"error": msg}: CustomExceptionMapper and the resources' own errors.
response error_body(unsigned status, std::string_view msg);
/// A DruidException as ServletResourceUtils#buildErrorResponseFrom writes it
/// (persona USER): {"error": "druidException", "errorCode", "persona",
/// "category", "errorMessage", "context": {}}.
response druid_exception(unsigned status, std::string_view code, std::string_view category, std::string_view message);
/// The single place where a domain error becomes Druid's status and body.
response druid_error(const sim::druid::error& e);
/// The cluster did not answer in time.
response unavailable(const std::string& why);
/// Jetty's error page (Druid hides the servlet and the cause), as curl gets it.
response jetty_error(unsigned status, std::string_view reason);

/// Whether JAX-RS lets a body through @Consumes(APPLICATION_JSON): a JSON
/// media type, or none at all (Jersey 1 reads a body without a type as JSON).
bool json_or_no_content_type(const call& c);
/// A request body read as Jersey's JacksonJsonProvider reads it: another
/// media type is a 415 before the resource runs (@Consumes JSON; curl -d
/// sends form-urlencoded); not JSON at all is unparsable_body(). nullopt
/// with the answer in `bad`.
std::optional<boost::json::value> read_json_body(const call& c, response& bad);
/// A body that is not JSON at all: Jackson's JsonParseException, which no
/// Druid exception mapper maps (CustomExceptionMapper takes JsonMappingException
/// only), so Jersey rethrows it and Jetty answers 500 with its page.
response unparsable_body();
/// An entity from a resource method without @Produces (the coordinator's
/// config POSTs), or from Druid 30's CustomExceptionMapper, which sets no
/// type: Jersey 1 picks the type from Accept. JacksonJsonProvider writes only
/// a json type, so for `Accept: */*` (curl's) or none it falls back to
/// application/octet-stream, finds no writer for the Map, and answers 500
/// with no body (ContainerResponse#write, apache/druid#9042, #17016).
response untyped_entity(const call& c, response r);

/// Who changed a config: X-Druid-Author, X-Druid-Comment and the client's address.
sim::druid::audit_info audit_of(const call& c);

/// A callback for a typed request: `render` makes the answer from the
/// value; no value (a timeout, a stopped actor) is `unavailable`.
template <class T, class Render>
actors::callback<T> answer_with(responder respond, Render render) {
  return [respond = std::move(respond), render = std::move(render)](actors::reply<T> r) {
    respond(r.ok() ? render(*r.value) : unavailable(r.error));
  };
}

} // namespace compactsim::http
