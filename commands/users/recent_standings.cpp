#include "commands/users/recent_standings.hpp"

namespace tenantry {

void recent_standings::record(const std::string& user, writer_standing standing) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  order_.emplace_back(user, standing.offset);
  by_user_[user] = std::move(standing);
  while (order_.size() > capacity_) {
    const auto& [oldest, offset] = order_.front();
    // A later record of the same user stays.
    if (auto it = by_user_.find(oldest); it != by_user_.end() && it->second.offset == offset)
      by_user_.erase(it);
    order_.pop_front();
  }
}

std::optional<writer_standing> recent_standings::find(const std::string& user,
                                                      std::int64_t projected) const {
  std::lock_guard lock(mutex_);
  const auto it = by_user_.find(user);
  if (it == by_user_.end() || it->second.offset < projected) return std::nullopt;
  return it->second;
}

std::size_t recent_standings::size() const {
  std::lock_guard lock(mutex_);
  return by_user_.size();
}

}  // namespace tenantry
