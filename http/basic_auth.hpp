#pragma once
//! HTTP Basic authentication for every listener, as Doris (enable_all_http_auth)
//! and Druid's basic authenticator demand it when the cluster is reachable
//! from elsewhere.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace compactsim::http {

/// Standard base64 (RFC 4648, with padding).
std::string base64_encode(std::string_view in);

/// `inner` behind a check of "Authorization: Basic base64(user:password)";
/// anything else gets 401 with a WWW-Authenticate challenge.
dispatcher with_basic_auth(dispatcher inner, const std::string& user_colon_password);

/// `--auth USER:PASS` as the listeners can demand it: a user and a password,
/// neither empty (":" would let an empty Basic credential in).
bool valid_credentials(std::string_view user_pass);

/// True for addresses only this machine reaches (127.0.0.0/8, ::1, localhost).
bool is_loopback(std::string_view address);

/// Why listening on `bind` with `--auth` `auth` is refused, or "" when it is
/// not: an address off loopback needs credentials, and credentials must be
/// USER:PASS. serve and node both ask it before they open a port.
std::string bind_refusal(const std::string& bind, std::string_view auth);

} // namespace compactsim::http
