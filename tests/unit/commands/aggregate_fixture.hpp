#pragma once
// Given/when/then for aggregates: given past events, when a command, then events or error.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "commands/write_model.hpp"

namespace tenantry::testing {

// A time well after every test's decide_context.now (about 3.6 years later).
inline const timestamp later{std::chrono::milliseconds{1'800'000'000'000}};

class aggregate_test : public ::testing::Test {
 protected:
  write_model model;
  int next_id = 0;
  decide_context ctx{timestamp{std::chrono::milliseconds{1'700'000'000'000}},
                     [this] { return id(++next_id); }, 4};

  // Deterministic UUID-shaped ids: id(1) = "00000000-0000-7000-8000-000000000001".
  static std::string id(int n) {
    std::string digits = std::to_string(n);
    return "00000000-0000-7000-8000-" + std::string(12 - digits.size(), '0') + digits;
  }

  void given(std::vector<event> events) {
    for (auto& e : events) {
      recorded_event r;
      r.meta.aggregate_version = model.version_of(e) + 1;
      r.meta.time = ctx.now;
      r.data = std::move(e);
      model.apply(r);
    }
  }

  result<std::vector<event>> when(const command& c) { return model.decide(c, ctx); }

  // Decides and, on success, applies: for building up state through the rules.
  std::vector<event> accept(const command& c) {
    auto r = when(c);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().code + ": " + r.error().message);
    if (!r) return {};
    given(*r);
    return *r;
  }

  std::string created_id(const std::vector<event>& events) {
    return std::get<tenant_created>(events.at(0)).id.value;
  }
};

#define EXPECT_ERROR(expr, expected_code)                                 \
  do {                                                                    \
    auto r_ = (expr);                                                     \
    ASSERT_FALSE(r_.has_value()) << "expected error " << (expected_code); \
    EXPECT_EQ(r_.error().code, (expected_code)) << r_.error().message;    \
  } while (0)

}  // namespace tenantry::testing
