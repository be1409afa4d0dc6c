#include "api/auth/verified_token_cache.hpp"

namespace tenantry::api {

std::optional<access_claims> verified_token_cache::find(std::string_view token) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void verified_token_cache::insert(std::string_view token, const access_claims& claims) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (entries_.contains(token)) return;
  while (entries_.size() >= capacity_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  entries_.emplace(std::string(token), claims);
  order_.emplace_back(token);
}

std::size_t verified_token_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tenantry::api
