#pragma once
// Fixed-window rate limits per key (a principal, an account, a client address), in memory
// and thread-safe. A limit of 0 turns the limiter off. Each tenantryd instance counts on
// its own: behind a load balancer of N instances a client gets up to N times the limit.
// Only counting inserts a key; the map holds at most `max_keys` of them: ended windows are
// forgotten now and then, and a full map forgets the key it took in longest ago, in constant
// time (a flood of new keys costs each the same).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
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
  static constexpr std::size_t default_max_keys = 100'000;

  rate_limiter(std::uint32_t limit, std::chrono::seconds window,
               std::size_t max_keys = default_max_keys);

  bool enabled() const { return limit_ > 0; }
  // Counts one event for `key` when it is within the limit, and says whether it was.
  rate_decision take(std::string_view key, clock::time_point now);
  // Uncounts one event that take() counted in the current window (the attempt succeeded).
  void give_back(std::string_view key, clock::time_point now);
  // The events counted for `key` in its current window.
  std::uint32_t count(std::string_view key, clock::time_point now) const;
  // The keys held now, over every shard.
  std::size_t size() const;

 private:
  struct window {
    clock::time_point start;
    std::uint32_t count = 0;
    std::list<const std::string*>::iterator place;  // in the shard's insertion order
  };
  struct shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, window> windows;
    // The keys of `windows` (element keys do not move), oldest insertion first: a full
    // shard forgets its front in constant time.
    std::list<const std::string*> order;
    std::uint32_t calls = 0;
  };
  static constexpr std::size_t shard_count = 16;
  shard& shard_of(std::string_view key) const;
  bool current(const window& w, clock::time_point now) const;
  rate_decision decision(const window* w, clock::time_point now, bool allowed) const;
  void make_room(shard& s, clock::time_point now) const;

  std::uint32_t limit_;
  std::chrono::seconds window_;
  std::size_t max_keys_per_shard_;
  mutable std::array<shard, shard_count> shards_;
};

}  // namespace tenantry::api
