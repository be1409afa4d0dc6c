#include "api/auth/user_standing_cache.hpp"

namespace tenantry::api {

std::optional<std::optional<user_standing>> user_standing_cache::find(const std::string& user,
                                                                      std::int64_t epoch) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(user);
  if (it == entries_.end() || it->second.epoch != epoch) return std::nullopt;
  return it->second.standing;
}

void user_standing_cache::insert(const std::string& user, std::int64_t epoch,
                                 std::optional<user_standing> standing) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = entries_.find(user); it != entries_.end()) {
    it->second = entry{epoch, std::move(standing)};
    return;
  }
  while (entries_.size() >= capacity_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  entries_.emplace(user, entry{epoch, std::move(standing)});
  order_.push_back(user);
}

std::size_t user_standing_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tenantry::api
