#include "http/basic_auth.hpp"

namespace compactsim::http {

std::string base64_encode(std::string_view in) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto n = (unsigned(static_cast<unsigned char>(in[i])) << 16) | (unsigned(static_cast<unsigned char>(in[i + 1])) << 8) |
             unsigned(static_cast<unsigned char>(in[i + 2]));
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i < in.size()) {
    auto n = unsigned(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size())
      n |= unsigned(static_cast<unsigned char>(in[i + 1])) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

dispatcher with_basic_auth(dispatcher inner, const std::string& user_colon_password) {
  auto expected = "Basic " + base64_encode(user_colon_password);
  return [inner = std::move(inner), expected](request req, responder respond) {
    auto given = req.find_header("Authorization");
    if (given && *given == expected)
      return inner(std::move(req), std::move(respond));
    auto r = response::json(401, R"({"error":"unauthorized"})");
    r.headers.emplace_back("WWW-Authenticate", R"(Basic realm="compactsim")");
    respond(std::move(r));
  };
}

bool is_loopback(std::string_view address) {
  return address == "localhost" || address == "::1" || address.starts_with("127.");
}

bool valid_credentials(std::string_view user_pass) {
  auto colon = user_pass.find(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < user_pass.size();
}

std::string bind_refusal(const std::string& bind, std::string_view auth) {
  if (!is_loopback(bind) && auth.empty())
    return "binding " + bind + " (not a loopback address) requires --auth USER:PASS";
  if (!auth.empty() && !valid_credentials(auth))
    return "--auth expects USER:PASS, neither empty";
  return "";
}

} // namespace compactsim::http
