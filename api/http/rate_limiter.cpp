#include "api/http/rate_limiter.hpp"

#include <functional>

namespace tenantry::api {

rate_decision rate_limiter::take(std::string_view key, clock::time_point now) {
  return decide(key, now, true);
}

rate_decision rate_limiter::peek(std::string_view key, clock::time_point now) {
  return decide(key, now, false);
}

rate_decision rate_limiter::decide(std::string_view key, clock::time_point now, bool count) {
  if (limit_ == 0) return {};
  shard& s = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  std::lock_guard lock(s.mutex);
  // Now and then forget windows that ended, so idle keys do not pile up.
  if (++s.calls % 1024 == 0)
    std::erase_if(s.windows, [&](const auto& kv) { return now - kv.second.start >= window_; });
  window& w = s.windows[std::string(key)];
  if (w.count == 0 || now - w.start >= window_) w = window{now, 0};
  const bool allowed = w.count < limit_;
  if (allowed && count) ++w.count;
  const auto left = std::chrono::ceil<std::chrono::seconds>(w.start + window_ - now);
  return {allowed, limit_, limit_ - std::min(w.count, limit_),
          std::max(left, std::chrono::seconds(1))};
}

}  // namespace tenantry::api
