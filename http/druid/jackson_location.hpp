#pragma once
//! Where Jackson stood when it gave up on a request body. Druid's error for a
//! body that does not map is JsonMappingException#getMessage: the problem,
//! then "\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: L,
//! column: C]", then the reference chain. The model writes the problem and
//! the chain; this finds the location in the raw body.

#include <string>
#include <string_view>

namespace compactsim::http {

/// `message` with Jackson's location inserted before its reference chain (or
/// appended when it has none). The chain names the value (`Class["field"]`,
/// `java.util.ArrayList[2]`); the location is the token Jackson's parser was
/// on (JsonMappingException takes JsonParser#getTokenLocation): the start of
/// the value for a value of the wrong shape ("Cannot deserialize value of
/// type", "Unexpected token", an unknown type id, a number out of range), the
/// closing brace of the object for a creator's failure ("Cannot construct
/// instance of `X`, problem: ...") and a missing type id, which Jackson meets
/// at the object's end. Columns count bytes from 1, as Jackson's UTF-8 parser
/// does. Messages of another shape, or whose value is not found, come back as
/// they are.
std::string with_jackson_location(std::string_view body, std::string_view message);

} // namespace compactsim::http
