#pragma once
// What the users read model said about a user's standing, remembered while the projector's
// users epoch stays where it was when it was read: authentication then needs no query per
// request, and the first change of users the projector commits makes every entry stale.
// Bounded; thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "projections/users/user_queries.hpp"

namespace tenantry::api {

class user_standing_cache {
 public:
  explicit user_standing_cache(std::size_t capacity) : capacity_(capacity) {}

  // The user's standing as read at `epoch` (none inside: the read model did not show the
  // user); nullopt when nothing was remembered at that epoch.
  std::optional<std::optional<user_standing>> find(const std::string& user,
                                                   std::int64_t epoch) const;
  // Forgets the oldest entry when full; a capacity of 0 keeps nothing.
  void insert(const std::string& user, std::int64_t epoch, std::optional<user_standing> standing);
  std::size_t size() const;

 private:
  struct entry {
    std::int64_t epoch = 0;
    std::optional<user_standing> standing;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  std::deque<std::string> order_;  // insertion order, oldest first
};

}  // namespace tenantry::api
