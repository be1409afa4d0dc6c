#include <gtest/gtest.h>

#include "api/http/rate_limiter.hpp"

namespace tenantry::api {
namespace {

using namespace std::chrono_literals;
const auto t0 = rate_limiter::clock::time_point{} + 1000s;

TEST(RateLimiter, AllowsUpToTheLimitInAWindowThenRefuses) {
  rate_limiter limiter(3, 60s);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("a", t0 + 1s).allowed);
  const auto refused = limiter.take("a", t0 + 2s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.limit, 3u);
  EXPECT_EQ(refused.reset, 59s);  // the window opened at t0 + 1 s
}

TEST(RateLimiter, KeysAreCountedApart) {
  rate_limiter limiter(1, 60s);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_TRUE(limiter.take("b", t0).allowed);
  EXPECT_FALSE(limiter.take("a", t0).allowed);
}

TEST(RateLimiter, ANewWindowStartsOver) {
  rate_limiter limiter(1, 60s);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_FALSE(limiter.take("a", t0 + 59s).allowed);
  const auto later = limiter.take("a", t0 + 60s);
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 0u);
}

TEST(RateLimiter, CountCountsNothing) {
  rate_limiter limiter(1, 60s);
  EXPECT_EQ(limiter.count("a", t0), 0u);
  EXPECT_EQ(limiter.count("a", t0), 0u);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_EQ(limiter.count("a", t0), 1u);
  EXPECT_FALSE(limiter.take("a", t0).allowed);
}

TEST(RateLimiter, ZeroTurnsItOff) {
  rate_limiter limiter(0, 60s);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_EQ(limiter.take("a", t0).limit, 0u);
}

TEST(RateLimiter, ForgetsIdleKeysWithoutLosingLiveOnes) {
  rate_limiter limiter(2, 60s);
  EXPECT_TRUE(limiter.take("live", t0 + 100s).allowed);
  for (int i = 0; i < 5000; ++i) limiter.take("idle" + std::to_string(i), t0);
  EXPECT_TRUE(limiter.take("live", t0 + 101s).allowed);
  EXPECT_FALSE(limiter.take("live", t0 + 102s).allowed);
}

TEST(RateLimiter, ReadingInsertsNothing) {
  rate_limiter limiter(3, 60s);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.count("user" + std::to_string(i), t0), 0u);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, GiveBackUncountsWithinTheWindow) {
  rate_limiter limiter(2, 60s);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_FALSE(limiter.take("a", t0).allowed);
  limiter.give_back("a", t0 + 1s);
  EXPECT_EQ(limiter.count("a", t0 + 1s), 1u);
  EXPECT_TRUE(limiter.take("a", t0 + 1s).allowed);
  // Nothing is given back to a window that has ended, nor to a key never counted.
  limiter.give_back("a", t0 + 60s);
  limiter.give_back("b", t0);
  EXPECT_EQ(limiter.count("a", t0 + 60s), 0u);
  EXPECT_EQ(limiter.size(), 1u);
}

// A flood of distinct keys (usernames tried, addresses) never grows the map past its cap;
// the oldest windows go first.
TEST(RateLimiter, TheMapIsCapped) {
  rate_limiter limiter(5, 3600s, 1600);
  EXPECT_TRUE(limiter.take("early", t0).allowed);
  for (int i = 0; i < 50'000; ++i)
    limiter.take("flood" + std::to_string(i), t0 + 1s + std::chrono::milliseconds(i));
  EXPECT_LE(limiter.size(), 1600u);
  EXPECT_GT(limiter.size(), 1000u);
  EXPECT_EQ(limiter.count("early", t0 + 100s), 0u);  // the oldest went first
  EXPECT_EQ(limiter.count("flood49999", t0 + 100s), 1u);
}

}  // namespace
}  // namespace tenantry::api
