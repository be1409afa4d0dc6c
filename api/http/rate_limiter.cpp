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

// Now and then forgets the windows that ended; a full shard forgets the key it took in
// longest ago.
void rate_limiter::make_room(shard& s, clock::time_point now) const {
  if (++s.calls % 1024 == 0)
    for (auto it = s.windows.begin(); it != s.windows.end();) {
      if (current(it->second, now)) {
        ++it;
        continue;
      }
      s.order.erase(it->second.place);
      it = s.windows.erase(it);
    }
  while (s.windows.size() >= max_keys_per_shard_ && !s.order.empty()) {
    const std::string* oldest = s.order.front();
    s.order.pop_front();
    s.windows.erase(s.windows.find(*oldest));  // find first: *oldest lives in that node
  }
}

rate_decision rate_limiter::take(std::string_view key, clock::time_point now) {
  if (limit_ == 0) return {};
  shard& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  auto it = s.windows.find(std::string(key));
  if (it == s.windows.end()) {
    make_room(s, now);
    it = s.windows.emplace(std::string(key), window{now, 0, {}}).first;
    it->second.place = s.order.insert(s.order.end(), &it->first);
  }
  window& w = it->second;
  if (!current(w, now)) {  // a new window; the key keeps its place in the order
    w.start = now;
    w.count = 0;
  }
  const bool allowed = w.count < limit_;
  if (allowed) ++w.count;
  return decision(&w, now, allowed);
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
