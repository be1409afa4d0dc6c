#pragma once
// What the writer committed about users' standing (a deletion, a deactivation, a new
// password, other platform roles) that the read models may not show yet. Authentication on
// this instance believes it until the projector has passed its offset, so that a user's
// access ends with the acknowledgement of the command that ends it, reads included.
// Bounded (the oldest entries go first); thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tenantry {

struct writer_standing {
  bool in_good_standing = true;  // neither deleted nor deactivated
  std::int64_t auth_generation = 0;
  std::vector<std::string> platform_roles;
  std::int64_t offset = -1;  // the log offset from which the read models show it
};

class recent_standings {
 public:
  explicit recent_standings(std::size_t capacity = 10'000) : capacity_(capacity) {}

  void record(const std::string& user, writer_standing standing);
  // The writer's standing of `user` while the read models, at `projected` (the projector's
  // position: every offset below it applied), do not show it yet.
  std::optional<writer_standing> find(const std::string& user, std::int64_t projected) const;
  std::size_t size() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, writer_standing> by_user_;
  std::deque<std::pair<std::string, std::int64_t>> order_;  // (user, offset), oldest first
};

}  // namespace tenantry
