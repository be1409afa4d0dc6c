#pragma once
// Access tokens whose signature already checked out, by their exact text: verifying an
// Ed25519 signature costs more than the rest of a command (docs/performance.md), and a
// client sends the same token for its whole lifetime. Bounded; thread-safe. Only tokens
// that passed every check are put in; the time checks run again on every use.

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/auth/jwt.hpp"

namespace tenantry::api {

class verified_token_cache {
 public:
  explicit verified_token_cache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<access_claims> find(std::string_view token) const;
  // Forgets the oldest entry when full. A capacity of 0 keeps nothing.
  void insert(std::string_view token, const access_claims& claims);
  std::size_t size() const;

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, access_claims, string_hash, std::equal_to<>> entries_;
  std::deque<std::string> order_;  // insertion order, oldest first
};

}  // namespace tenantry::api
