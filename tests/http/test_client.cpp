#include "tests/http/test_client.hpp"

#include <functional>

#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>

namespace compactsim::test {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

net::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {net::ip::make_address_v4("127.0.0.1"), port};
}

} // namespace

http_connection::http_connection(std::uint16_t port) : stream_(ioc_) {
  beast::error_code result;
  stream_.expires_after(client_timeout);
  stream_.async_connect(loopback(port), [&](beast::error_code ec) { result = ec; });
  ioc_.run();
  if (result) throw boost::system::system_error(result, "connect");
}

client_reply http_connection::call(const std::string& method, const std::string& target,
                                   std::string body,
                                   const std::vector<std::pair<std::string, std::string>>& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  return exchange(req);
}

/// Writes and reads concurrently, so an early answer (413) is still read.
client_reply http_connection::exchange(bhttp::request<bhttp::string_body>& req) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  beast::error_code result;
  stream_.expires_after(client_timeout);
  bhttp::async_write(stream_, req, [](beast::error_code, std::size_t) {});
  bhttp::async_read(stream_, buffer_, parser,
                    [&](beast::error_code ec, std::size_t) { result = ec; });
  ioc_.restart();
  ioc_.run();
  if (result) throw boost::system::system_error(result, "read");
  auto res = parser.release();
  client_reply reply;
  reply.status = res.result_int();
  reply.content_type = std::string(res[bhttp::field::content_type]);
  for (const auto& field : res)
    reply.headers[std::string(field.name_string())] = std::string(field.value());
  reply.body = std::move(res.body());
  return reply;
}

client_reply http_call(std::uint16_t port, std::string method, std::string target,
                       std::string body,
                       std::vector<std::pair<std::string, std::string>> headers) {
  http_connection connection(port);
  return connection.call(method, target, std::move(body), headers);
}

std::string raw_exchange(std::uint16_t port, std::string bytes) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code connect_error;
  std::string received;
  char chunk[4096];
  std::function<void(beast::error_code, std::size_t)> on_read =
      [&](beast::error_code ec, std::size_t n) {
        received.append(chunk, n);
        if (!ec) stream.async_read_some(net::buffer(chunk), on_read);
      };
  stream.expires_after(client_timeout);
  stream.async_connect(loopback(port), [&](beast::error_code ec) {
    connect_error = ec;
    if (ec) return;
    net::async_write(stream, net::buffer(bytes), [](beast::error_code, std::size_t) {});
    stream.async_read_some(net::buffer(chunk), on_read);
  });
  ioc.run();
  if (connect_error) throw boost::system::system_error(connect_error, "connect");
  return received;
}

} // namespace compactsim::test
