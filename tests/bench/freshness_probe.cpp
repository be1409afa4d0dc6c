// `freshness`: how long after a command is acknowledged its change becomes visible through
// GET without a consistency token. infra/bench.sh runs it while wrk keeps the server at
// half its maximum command rate; the probe itself adds one command per interval.

#include <utility>  // before Asio with g++ 12 (asio issue 944)

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <spdlog/spdlog.h>

#include "subcommands.hpp"

namespace tenantry::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// One keep-alive connection; reconnects once when the server closed it.
class http_connection {
 public:
  http_connection(unsigned short port, std::string token) : port_(port), token_(std::move(token)) {}

  http::response<http::string_body> send(http::verb verb, const std::string& target,
                                         const std::string& body = "") {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!stream_) connect();
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, "Bearer " + token_);
        if (!body.empty()) req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        stream_->expires_after(std::chrono::seconds(30));
        http::write(*stream_, req);
        http::response<http::string_body> res;
        http::read(*stream_, buffer_, res);
        if (!res.keep_alive()) stream_.reset();
        return res;
      } catch (const std::exception&) {
        stream_.reset();
        if (attempt > 0) throw;
      }
    }
  }

 private:
  void connect() {
    stream_.emplace(io_);
    stream_->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    stream_->socket().set_option(tcp::no_delay(true));
    buffer_.clear();
  }

  unsigned short port_;
  std::string token_;
  asio::io_context io_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

}  // namespace

int run_freshness(const common_options&, const freshness_options& o) {
  http_connection commands(o.port, o.token), reads(o.port, o.token);
  std::vector<double> fresh_ms, command_ms, gets;
  int failures = 0, timeouts = 0;
  const auto started = steady::now();
  const auto interval = std::chrono::milliseconds(o.interval_ms);
  try {
    for (int i = 0; seconds_since(started) < o.seconds; ++i) {
      std::this_thread::sleep_until(started + i * interval);
      const auto sent = steady::now();
      const nlohmann::json body{{"name", o.prefix + " " + std::to_string(i)}};
      const auto created = commands.send(http::verb::post, "/v1/tenants", body.dump());
      const auto acked = steady::now();
      if (created.result_int() != 201) {
        if (failures++ == 0)
          spdlog::warn("freshness: create answered {}: {}", created.result_int(), created.body());
        continue;
      }
      command_ms.push_back(millis(acked - sent));
      const auto slug = nlohmann::json::parse(created.body()).value("slug", std::string());
      const std::string target = "/v1/tenants/" + slug;
      int attempts = 0;
      for (;;) {
        ++attempts;
        const auto seen = reads.send(http::verb::get, target);
        if (seen.result_int() == 200) {
          fresh_ms.push_back(millis(steady::now() - acked));
          break;
        }
        if (seen.result_int() != 404 || millis(steady::now() - acked) > 10000) {
          ++timeouts;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(o.poll_ms));
      }
      gets.push_back(attempts);
    }
  } catch (const std::exception& e) {
    spdlog::critical("freshness: {}", e.what());
    return 1;
  }
  figures f;
  f.add("freshness_samples", double(fresh_ms.size()), "commands");
  f.add("freshness_p50", percentile(fresh_ms, 50), "ms");
  f.add("freshness_p99", percentile(fresh_ms, 99), "ms");
  f.add("freshness_max", fresh_ms.empty() ? 0 : fresh_ms.back(), "ms");
  f.add("freshness_gets_per_probe_p50", percentile(gets, 50), "requests");
  f.add("freshness_probe_command_p50", percentile(command_ms, 50), "ms");
  f.add("freshness_probe_command_p99", percentile(command_ms, 99), "ms");
  f.add("freshness_failures", failures + timeouts, "commands");
  f.print();
  return fresh_ms.empty() ? 1 : 0;
}

int run_free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return 1;
  std::printf("%d\n", ntohs(addr.sin_port));
  close(fd);
  return 0;
}

}  // namespace tenantry::bench
