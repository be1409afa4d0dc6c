#include "api/http/http_server.hpp"

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tenantry::api {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

// Echoes the request as JSON. "/slow" takes 500 ms, "/throw" throws, "/text" answers text.
class echo_handler {
 public:
  std::atomic<bool> slow_started{false};

  asio::awaitable<response> operator()(request req, std::string remote) {
    if (req.target() == "/throw") throw std::runtime_error("handler bug");
    if (req.target() == "/slow") {
      slow_started = true;
      asio::steady_timer timer(co_await asio::this_coro::executor, 500ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
    response res{http::status::ok, req.version()};
    if (req.target() == "/text") {
      res.set(http::field::content_type, "text/plain");
      res.body() = "plain";
      co_return res;
    }
    res.body() = json{
        {"method", std::string(req.method_string())},
        {"target", std::string(req.target())},
        {"body", req.body()},
        {"remote",
         remote}}.dump();
    co_return res;
  }
};

// A client with deadlines, so a misbehaving server fails the test instead of hanging it.
class test_client {
 public:
  explicit test_client(const tcp::endpoint& server) { stream_.connect(server); }

  void send(std::string_view raw) { asio::write(stream_.socket(), asio::buffer(raw)); }

  void send(request req) {
    req.prepare_payload();
    http::write(stream_.socket(), req);
  }

  // The next response, or the error that ended the wait.
  std::pair<beast::error_code, response> receive(std::chrono::seconds deadline = 5s) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    beast::error_code result = asio::error::would_block;
    stream_.expires_after(deadline);
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run();
    return {result, parser.release()};
  }

  // The next response to a HEAD request: a header only.
  std::pair<beast::error_code, response> receive_head(std::chrono::seconds deadline = 5s) {
    http::response_parser<http::string_body> parser;
    parser.skip(true);
    beast::error_code result = asio::error::would_block;
    stream_.expires_after(deadline);
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run();
    return {result, parser.release()};
  }

  // Waits for the server to close the connection: eof when it did, timeout when it did not.
  beast::error_code wait_for_close(std::chrono::seconds deadline) {
    beast::error_code result = asio::error::would_block;
    std::array<char, 4096> sink;
    stream_.expires_after(deadline);
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                      std::size_t) {
      if (ec) {
        result = ec;
        return;
      }
      stream_.async_read_some(asio::buffer(sink), on_read);
    };
    stream_.async_read_some(asio::buffer(sink), on_read);
    io_.restart();
    io_.run();
    return result;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
};

request make_request(http::verb verb, std::string target, std::string body = "") {
  request req{verb, target, 11};
  req.set(http::field::host, "localhost");
  req.body() = std::move(body);
  return req;
}

class HttpServer : public ::testing::Test {
 protected:
  void start(server_limits limits = {}) {
    server_.emplace(
        io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
        [this](request req, std::string remote) {
          return handler_(std::move(req), std::move(remote));
        },
        limits);
    server_->start();
    // Two threads, as in production, so strand mistakes show up (under TSan especially).
    runner_ = std::async(std::launch::async, [this] {
      std::thread second([this] { io_.run(); });
      io_.run();
      second.join();
    });
  }

  void TearDown() override {
    if (!server_) return;
    server_->stop();
    if (runner_.wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "the server did not wind down after stop()";
      io_.stop();
    }
    runner_.get();
  }

  tcp::endpoint endpoint() const { return server_->local_endpoint(); }

  asio::io_context io_;
  echo_handler handler_;
  std::optional<http_server> server_;
  std::future<void> runner_;
};

TEST_F(HttpServer, AnswersARequest) {
  start();
  ASSERT_NE(endpoint().port(), 0);
  test_client client(endpoint());
  client.send(make_request(http::verb::post, "/v1/echo", R"({"a":1})"));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::server], "tenantry");
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_TRUE(res.keep_alive());
  const json body = json::parse(res.body());
  EXPECT_EQ(body["method"], "POST");
  EXPECT_EQ(body["target"], "/v1/echo");
  EXPECT_EQ(body["body"], R"({"a":1})");
  EXPECT_EQ(body["remote"], "127.0.0.1");
}

TEST_F(HttpServer, KeepsTheHandlersContentType) {
  start();
  test_client client(endpoint());
  client.send(make_request(http::verb::get, "/text"));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec);
  EXPECT_EQ(res[http::field::content_type], "text/plain");
  EXPECT_EQ(res.body(), "plain");
}

TEST_F(HttpServer, ServesTwoRequestsOnOneKeptAliveConnection) {
  start();
  test_client client(endpoint());
  for (const char* target : {"/one", "/two"}) {
    client.send(make_request(http::verb::get, target));
    auto [ec, res] = client.receive();
    ASSERT_FALSE(ec) << target << ": " << ec.message();
    EXPECT_EQ(json::parse(res.body())["target"], target);
  }
}

TEST_F(HttpServer, ServesPipelinedRequestsInOrder) {
  start();
  test_client client(endpoint());
  client.send(
      "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(json::parse(client.receive().second.body())["target"], "/one");
  EXPECT_EQ(json::parse(client.receive().second.body())["target"], "/two");
}

TEST_F(HttpServer, ClosesWhenTheClientAsksTo) {
  start();
  test_client client(endpoint());
  auto req = make_request(http::verb::get, "/bye");
  req.keep_alive(false);
  client.send(std::move(req));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(client.wait_for_close(3s), asio::error::eof);
}

TEST_F(HttpServer, Rejects2MiBBodyWith413) {
  start();
  test_client client(endpoint());
  client.send(make_request(http::verb::post, "/big", std::string(2 << 20, 'x')));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_EQ(json::parse(res.body()), (json{{"error", "payload_too_large"},
                                           {"message", "The request body is larger than allowed."},
                                           {"details", json::object()}}));
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(client.wait_for_close(5s), asio::error::eof);
}

TEST_F(HttpServer, Rejects413FromContentLengthBeforeTheBodyArrives) {
  start();
  test_client client(endpoint());
  client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n");
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::payload_too_large);
}

TEST_F(HttpServer, RejectsOversizedChunkedBodyWith413) {
  start();
  test_client client(endpoint());
  client.send("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(64 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 32; ++i) client.send(size_line + chunk + "\r\n");
  client.send("0\r\n\r\n");
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_EQ(json::parse(res.body())["error"], "payload_too_large");
}

TEST_F(HttpServer, AcceptsABodyJustUnderTheLimit) {
  start();
  test_client client(endpoint());
  client.send(make_request(http::verb::post, "/fits", std::string(1 << 20, 'x')));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec);
  EXPECT_EQ(res.result(), http::status::ok);
}

TEST_F(HttpServer, RejectsMalformedRequestLineWith400) {
  start();
  test_client client(endpoint());
  client.send("THIS IS NOT HTTP\r\n\r\n");
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::bad_request);
  const json body = json::parse(res.body());
  EXPECT_EQ(body["error"], "bad_request");
  EXPECT_TRUE(body["details"].is_object());
  EXPECT_EQ(client.wait_for_close(5s), asio::error::eof);
}

TEST_F(HttpServer, RejectsAmbiguousBodyLengthWith400) {
  start();
  {
    test_client client(endpoint());
    client.send(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    EXPECT_EQ(client.receive().second.result(), http::status::bad_request);
  }
  {
    test_client client(endpoint());
    client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
    EXPECT_EQ(client.receive().second.result(), http::status::bad_request);
  }
}

TEST_F(HttpServer, AnswersExpect100ContinueBeforeTheBody) {
  start();
  test_client client(endpoint());
  client.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto [ec, interim] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(interim.result(), http::status::continue_);
  client.send("hello");
  auto [ec2, res] = client.receive();
  ASSERT_FALSE(ec2) << ec2.message();
  EXPECT_EQ(json::parse(res.body())["body"], "hello");
}

TEST_F(HttpServer, AnswersHeadWithoutABody) {
  start();
  test_client client(endpoint());
  client.send(make_request(http::verb::head, "/head"));
  auto [ec, res] = client.receive_head();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_NE(res[http::field::content_length], "0");
  // Nothing follows the header: the next response starts right after it.
  client.send(make_request(http::verb::get, "/next"));
  EXPECT_EQ(json::parse(client.receive().second.body())["target"], "/next");
}

TEST_F(HttpServer, RejectsOversizedHeadersWith431) {
  start();
  test_client client(endpoint());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(32 * 1024, 'a') + "\r\n\r\n");
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::request_header_fields_too_large);
}

TEST_F(HttpServer, TurnsHandlerExceptionsInto500) {
  start();
  test_client client(endpoint());
  client.send(make_request(http::verb::get, "/throw"));
  auto [ec, res] = client.receive();
  ASSERT_FALSE(ec);
  EXPECT_EQ(res.result(), http::status::internal_server_error);
  EXPECT_EQ(json::parse(res.body())["error"], "internal");
  // The connection and the server survive it.
  client.send(make_request(http::verb::get, "/after"));
  EXPECT_EQ(client.receive().second.result(), http::status::ok);
}

TEST_F(HttpServer, ClosesIdleConnectionAfterIdleTimeout) {
  server_limits limits;
  limits.idle_timeout = 1s;
  start(limits);
  test_client client(endpoint());
  client.send(make_request(http::verb::get, "/once"));
  ASSERT_FALSE(client.receive().first);
  const auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(client.wait_for_close(5s), asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
}

TEST_F(HttpServer, ClosesSlowlorisConnectionAfterHeaderTimeout) {
  server_limits limits;
  limits.header_timeout = 1s;
  start(limits);
  test_client client(endpoint());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
  const auto before = std::chrono::steady_clock::now();
  const auto ec = client.wait_for_close(5s);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
}

TEST_F(HttpServer, StopLetsInFlightRequestFinish) {
  start();
  test_client idle(endpoint());
  test_client busy(endpoint());
  busy.send(make_request(http::verb::get, "/slow"));
  for (int i = 0; i < 500 && !handler_.slow_started; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(handler_.slow_started);

  server_->stop();

  auto [ec, res] = busy.receive();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(busy.wait_for_close(3s), asio::error::eof);
  EXPECT_EQ(idle.wait_for_close(3s), asio::error::eof);
  EXPECT_EQ(runner_.wait_for(5s), std::future_status::ready) << "io_context still busy";

  asio::io_context io;
  tcp::socket late(io);
  beast::error_code refused;
  late.connect(endpoint(), refused);
  EXPECT_TRUE(refused) << "still accepting after stop()";
}

}  // namespace
}  // namespace tenantry::api
