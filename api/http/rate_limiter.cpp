#include "api/http/rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace tenantry::api {

rate_limiter::rate_limiter(std::uint32_t limit, std::chrono::seconds window, std::size_t max_keys)
    : limit_(limit),
      window_(window),
      max_keys_per_shard_(std::max<std::size_t>(1, max_keys / shard_count)) {}

rate_limiter::shard& rate_limiter::shard_of(std::string_view key) const {
  return shards_[std::hash<std::string_view>{}(key) % shards_.size()];
}

bool rate_limiter::current(const window& w, clock::time_point now) const {
  return w.count > 0 && now - w.start < window_;
}

rate_decision rate_limiter::decision(const window* w, clock::time_point now, bool allowed) const {
  const std::uint32_t used = w ? std::min(w->count, limit_) : 0;
  const auto left = w ? std::chrono::ceil<std::chrono::seconds>(w->start + window_ - now)
                      : std::chrono::duration_cast<std::chrono::seconds>(window_);
  return {allowed, limit_, limit_ - used, std::max(left, std::chrono::seconds(1))};
}

// Forgets ended windows now and then, and always when the shard is full; a shard still
// full then loses its oldest window (the key that would soonest start over anyway).
void rate_limiter::make_room(shard& s, clock::time_point now) const {
  const bool full = s.windows.size() >= max_keys_per_shard_;
  if (!full && ++s.calls % 1024 != 0) return;
  std::erase_if(s.windows, [&](const auto& kv) { return !current(kv.second, now); });
  if (s.windows.size() < max_keys_per_shard_) return;
  auto oldest = std::ranges::min_element(
      s.windows, [](const auto& a, const auto& b) { return a.second.start < b.second.start; });
  s.windows.erase(oldest);
}

rate_decision rate_limiter::take(std::string_view key, clock::time_point now) {
  if (limit_ == 0) return {};
  shard& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  auto it = s.windows.find(std::string(key));
  if (it == s.windows.end()) {
    make_room(s, now);
    it = s.windows.emplace(std::string(key), window{now, 0}).first;
  }
  window& w = it->second;
  if (!current(w, now)) w = window{now, 0};
  const bool allowed = w.count < limit_;
  if (allowed) ++w.count;
  return decision(&w, now, allowed);
}

rate_decision rate_limiter::peek(std::string_view key, clock::time_point now) const {
  if (limit_ == 0) return {};
  shard& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  const auto it = s.windows.find(std::string(key));
  const window* w = it != s.windows.end() && current(it->second, now) ? &it->second : nullptr;
  return decision(w, now, !w || w->count < limit_);
}

void rate_limiter::give_back(std::string_view key, clock::time_point now) {
  if (limit_ == 0) return;
  shard& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  const auto it = s.windows.find(std::string(key));
  if (it != s.windows.end() && current(it->second, now)) --it->second.count;
}

std::uint32_t rate_limiter::count(std::string_view key, clock::time_point now) const {
  if (limit_ == 0) return 0;
  shard& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  const auto it = s.windows.find(std::string(key));
  return it != s.windows.end() && current(it->second, now) ? it->second.count : 0;
}

std::size_t rate_limiter::size() const {
  std::size_t n = 0;
  for (const shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.windows.size();
  }
  return n;
}

}  // namespace tenantry::api
