// The delay an account's recent failed password tries put before its next try: none for
// the first five, then doubling from 100 ms up to 5 s.

#include "api/auth/password_attempt.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

using namespace std::chrono_literals;

TEST(LoginDelay, GrowsAfterFiveFailuresAndStopsAtFiveSeconds) {
  for (std::uint32_t n = 0; n < 5; ++n) EXPECT_EQ(login_delay(n), 0ms) << n;
  EXPECT_EQ(login_delay(5), 100ms);
  EXPECT_EQ(login_delay(6), 200ms);
  EXPECT_EQ(login_delay(9), 1600ms);
  EXPECT_EQ(login_delay(11), 5000ms);
  EXPECT_EQ(login_delay(1'000'000), 5000ms);
}

}  // namespace
}  // namespace tenantry::api
