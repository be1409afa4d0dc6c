#pragma once
// The time and the fresh ids a decide() is handed, so that aggregates stay pure.

#include <functional>
#include <string>

#include "events/clock.hpp"

namespace tenantry {

// What decide() may use besides the state: the time and fresh ids are injected so that
// aggregates stay pure and tests deterministic.
struct decide_context {
  timestamp now{};
  std::function<std::string()> new_id;
  int max_depth = 10;
};

}  // namespace tenantry
