#pragma once
// Fixed-window rate limits per key (a principal, an account, a client address), in memory
// and thread-safe. A limit of 0 turns the limiter off. Each tenantryd instance counts on
// its own: behind a load balancer of N instances a client gets up to N times the limit.

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tenantry::api {

struct rate_decision {
  bool allowed = true;
  std::uint32_t limit = 0;        // 0: no limit applies
  std::uint32_t remaining = 0;    // after this request
  std::chrono::seconds reset{0};  // until the window starts over
};

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  rate_limiter(std::uint32_t limit, std::chrono::seconds window) : limit_(limit), window_(window) {}

  bool enabled() const { return limit_ > 0; }
  // Counts one event for `key` and says whether it is within the limit.
  rate_decision take(std::string_view key, clock::time_point now);
  // Says whether one more event would be within the limit, counting nothing.
  rate_decision peek(std::string_view key, clock::time_point now);

 private:
  struct window {
    clock::time_point start;
    std::uint32_t count = 0;
  };
  struct shard {
    std::mutex mutex;
    std::unordered_map<std::string, window> windows;
    std::uint32_t calls = 0;
  };
  rate_decision decide(std::string_view key, clock::time_point now, bool count);

  std::uint32_t limit_;
  std::chrono::seconds window_;
  std::array<shard, 16> shards_;
};

}  // namespace tenantry::api
