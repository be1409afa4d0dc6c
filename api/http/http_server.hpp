#pragma once
// The HTTP/1.1 server core on Boost.Beast: accepts connections, reads requests under
// deadlines and size limits, runs the request handler, and writes its response. One
// coroutine per connection, each on its own strand. Routing lives in the handler.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/http/asio.hpp"

namespace tenantry::api {

namespace detail {
struct server_state;
}

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// Runs on the connection's executor. `remote_address` is the peer's IP address, without
// port. An exception escaping it becomes a 500 and is logged.
using request_handler =
    std::function<asio::awaitable<response>(request, std::string remote_address)>;

struct server_limits {
  std::size_t max_body = 1 << 20;            // larger bodies: 413
  std::chrono::seconds header_timeout{10};   // a new connection's first request header
  std::chrono::seconds idle_timeout{60};     // between requests on a kept-alive connection
  std::chrono::seconds request_timeout{30};  // reading a body, writing a response
  std::size_t max_header = 16 * 1024;        // larger headers: 431
};

class http_server {
 public:
  // Binds and listens at once, so local_endpoint() knows the port when `endpoint` asks for
  // port 0. Throws boost::system::system_error when the address cannot be bound.
  http_server(asio::io_context& io, const tcp::endpoint& endpoint, request_handler handler,
              server_limits limits = {});
  ~http_server();  // stops
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  tcp::endpoint local_endpoint() const;

  void start();

  // Graceful and thread-safe: stops accepting, closes idle connections, lets requests in
  // flight finish (their responses say Connection: close). io_context::run() returns once
  // the last of them is done.
  void stop();

 private:
  std::shared_ptr<detail::server_state> state_;
};

}  // namespace tenantry::api
