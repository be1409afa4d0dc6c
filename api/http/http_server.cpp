#include "api/http/http_server.hpp"

#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace tenantry::api {

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// How long a connection being closed after an error keeps reading (and discarding) what
// the client still sends, so the close does not reset the connection before the client
// has read the answer.
constexpr std::chrono::seconds linger_timeout{2};

struct connection {
  explicit connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a request; read and written only on the stream's strand
};

}  // namespace

namespace detail {

struct server_state {
  server_state(asio::io_context& io, request_handler h, server_limits l)
      : io(io), acceptor(asio::make_strand(io)), handler(std::move(h)), limits(l) {}

  asio::io_context& io;
  tcp::acceptor acceptor;  // used only on its strand once started
  tcp::endpoint endpoint;
  request_handler handler;
  server_limits limits;
  std::atomic<bool> stopping{false};
  std::mutex mutex;  // guards connections
  std::set<std::shared_ptr<connection>> connections;
};

}  // namespace detail

namespace {

using detail::server_state;

response error_response(http::status status, std::string_view code, std::string_view message) {
  response res{status, 11};
  const nlohmann::json body = {
      {"error", code}, {"message", message}, {"details", nlohmann::json::object()}};
  res.body() = body.dump();
  return res;
}

bool is_bodiless(http::status status) {
  const auto code = static_cast<unsigned>(status);
  return code < 200 || code == 204 || code == 304;
}

// The headers every response carries, and the connection's fate.
void finalize(response& res, unsigned version, bool keep_alive, bool head_request) {
  const bool handler_closes = http::token_list(res[http::field::connection]).exists("close");
  res.version(version);
  res.set(http::field::server, "tenantry");
  if (res.find(http::field::content_type) == res.end())
    res.set(http::field::content_type, "application/json");
  if (is_bodiless(res.result())) res.body().clear();
  const std::size_t size = res.body().size();
  if (head_request) res.body().clear();
  res.prepare_payload();
  if (head_request && !is_bodiless(res.result())) res.content_length(size);
  res.keep_alive(keep_alive && !handler_closes);
}

std::string remote_address(beast::tcp_stream& stream) {
  beast::error_code ec;
  const auto endpoint = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

void log_exception(std::exception_ptr failure, std::string_view what) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", what, e.what());
  } catch (...) {
    spdlog::error("{}: unknown exception", what);
  }
}

// Writes an error answer, then closes politely: half-close, then drain until the client
// closes too or the linger deadline passes.
asio::awaitable<void> answer_and_close(connection& c, response res) {
  finalize(res, 11, false, false);
  c.stream.expires_after(linger_timeout);
  auto [write_error, written] = co_await http::async_write(c.stream, res, use_tuple);
  if (write_error) co_return;
  beast::error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  c.stream.expires_after(linger_timeout);
  std::array<char, 16 * 1024> sink;
  for (;;) {
    auto [ec, n] = co_await c.stream.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
  }
}

// A failed read either gets an answer (the client sent something we refuse) or just ends
// the connection (the client left, or was too slow).
asio::awaitable<void> answer_read_error(connection& c, beast::error_code ec) {
  if (ec == http::error::body_limit) {
    co_await answer_and_close(c,
                              error_response(http::status::payload_too_large, "payload_too_large",
                                             "The request body is larger than allowed."));
  } else if (ec == http::error::header_limit) {
    co_await answer_and_close(
        c, error_response(http::status::request_header_fields_too_large, "headers_too_large",
                          "The request headers are larger than allowed."));
  } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
             ec != http::error::end_of_stream && ec != http::error::partial_message) {
    co_await answer_and_close(
        c, error_response(http::status::bad_request, "bad_request",
                          "The request is not valid HTTP/1.1: " + ec.message() + "."));
  }
}

// Waits for the first byte of the next request; false when the connection should end.
asio::awaitable<bool> wait_for_request(server_state& s, connection& c, beast::flat_buffer& buffer,
                                       bool first) {
  if (s.stopping) co_return false;
  if (buffer.size() > 0) co_return true;  // pipelined
  c.idle = true;
  c.stream.expires_after(first ? s.limits.header_timeout : s.limits.idle_timeout);
  auto [ec, n] = co_await c.stream.async_read_some(buffer.prepare(4096), use_tuple);
  c.idle = false;
  buffer.commit(n);
  co_return !ec && n > 0;
}

asio::awaitable<response> call_handler(server_state& s, request req, std::string remote) {
  const std::string method(req.method_string());
  const std::string target(req.target());
  try {
    co_return co_await s.handler(std::move(req), std::move(remote));
  } catch (...) {
    log_exception(std::current_exception(), "request handler failed on " + method + " " + target);
  }
  co_return error_response(http::status::internal_server_error, "internal",
                           "The server failed to handle the request.");
}

// Reads one request, answers it; true when the connection stays open for another.
asio::awaitable<bool> serve_one(server_state& s, connection& c, beast::flat_buffer& buffer,
                                const std::string& remote) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(s.limits.max_header));
  parser.body_limit(static_cast<std::uint64_t>(s.limits.max_body));

  c.stream.expires_after(s.limits.header_timeout);
  if (auto [ec, n] = co_await http::async_read_header(c.stream, buffer, parser, use_tuple); ec) {
    co_await answer_read_error(c, ec);
    co_return false;
  }
  if (!parser.is_done()) {
    c.stream.expires_after(s.limits.request_timeout);
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      if (auto [ec, n] = co_await http::async_write(c.stream, go_on, use_tuple); ec)
        co_return false;
    }
    if (auto [ec, n] = co_await http::async_read(c.stream, buffer, parser, use_tuple); ec) {
      co_await answer_read_error(c, ec);
      co_return false;
    }
  }

  request req = parser.release();
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  const bool head = req.method() == http::verb::head;
  c.stream.expires_never();
  response res = co_await call_handler(s, std::move(req), remote);
  try {
    finalize(res, version, keep_alive && !s.stopping, head);
  } catch (const std::exception& e) {  // e.g. a body on a 204
    spdlog::error("request handler returned an invalid response: {}", e.what());
    res = error_response(http::status::internal_server_error, "internal",
                         "The server failed to handle the request.");
    finalize(res, version, false, head);
  }

  c.stream.expires_after(s.limits.request_timeout);
  auto [ec, n] = co_await http::async_write(c.stream, res, use_tuple);
  co_return !ec && !res.need_eof();
}

asio::awaitable<void> run_session(std::shared_ptr<server_state> s, std::shared_ptr<connection> c) {
  const std::string remote = remote_address(c->stream);
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    if (!co_await wait_for_request(*s, *c, buffer, first)) break;
    if (!co_await serve_one(*s, *c, buffer, remote)) break;
  }
  beast::error_code ignored;
  c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  c->stream.close();
  std::lock_guard lock(s->mutex);
  s->connections.erase(c);
}

void spawn_session(const std::shared_ptr<server_state>& s, tcp::socket socket) {
  auto c = std::make_shared<connection>(std::move(socket));
  {
    std::lock_guard lock(s->mutex);
    s->connections.insert(c);
  }
  auto executor = c->stream.get_executor();
  asio::co_spawn(executor, run_session(s, std::move(c)), [](std::exception_ptr failure) {
    log_exception(failure, "HTTP connection failed");
  });
}

asio::awaitable<void> accept_loop(std::shared_ptr<server_state> s) {
  while (!s->stopping) {
    auto [ec, socket] = co_await s->acceptor.async_accept(asio::make_strand(s->io), use_tuple);
    if (ec == asio::error::operation_aborted || s->stopping) break;
    if (ec) {
      // Out of file descriptors and the like: back off instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(s->acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    spawn_session(s, std::move(socket));
  }
}

}  // namespace

http_server::http_server(asio::io_context& io, const tcp::endpoint& endpoint,
                         request_handler handler, server_limits limits)
    : state_(std::make_shared<server_state>(io, std::move(handler), limits)) {
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  state_->endpoint = acceptor.local_endpoint();
}

http_server::~http_server() {
  stop();
}

tcp::endpoint http_server::local_endpoint() const {
  return state_->endpoint;
}

void http_server::start() {
  asio::co_spawn(state_->acceptor.get_executor(), accept_loop(state_),
                 [](std::exception_ptr failure) { log_exception(failure, "HTTP accept failed"); });
}

void http_server::stop() {
  auto s = state_;
  if (s->stopping.exchange(true)) return;
  asio::post(s->acceptor.get_executor(), [s] {
    beast::error_code ignored;
    s->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<connection>> open;
  {
    std::lock_guard lock(s->mutex);
    open.assign(s->connections.begin(), s->connections.end());
  }
  // On each connection's strand: a connection waiting for a request is cut off; one in
  // the middle of a request sees `stopping` when it is done and closes then.
  for (auto& c : open) {
    asio::post(c->stream.get_executor(), [c] {
      if (c->idle) c->stream.cancel();
    });
  }
}

}  // namespace tenantry::api
