#include <gtest/gtest.h>

#include "api/auth/user_standing_cache.hpp"

namespace tenantry::api {
namespace {

user_standing active(std::int64_t generation = 0) {
  return user_standing{true, false, generation, {"super_admin"}};
}

TEST(UserStandingCache, RemembersAStandingOnlyForTheEpochItWasReadAt) {
  user_standing_cache cache(10);
  cache.insert("u1", 3, active(2));
  const auto known = cache.find("u1", 3);
  ASSERT_TRUE(known && *known);
  EXPECT_EQ((*known)->auth_generation, 2);
  EXPECT_EQ(cache.find("u1", 4), std::nullopt);  // the projector changed users since
  EXPECT_EQ(cache.find("u2", 3), std::nullopt);
}

TEST(UserStandingCache, RemembersThatTheReadModelDidNotShowTheUser) {
  user_standing_cache cache(10);
  cache.insert("new", 1, std::nullopt);
  const auto known = cache.find("new", 1);
  ASSERT_TRUE(known.has_value());
  EXPECT_FALSE(known->has_value());
}

TEST(UserStandingCache, ANewReadReplacesTheOldOne) {
  user_standing_cache cache(10);
  cache.insert("u1", 1, active());
  cache.insert("u1", 2, user_standing{false, false, 1, {}});
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.find("u1", 1), std::nullopt);
  EXPECT_FALSE((*cache.find("u1", 2))->is_active);
}

TEST(UserStandingCache, ForgetsTheOldestWhenFullAndKeepsNothingAtCapacityZero) {
  user_standing_cache cache(2);
  cache.insert("a", 1, active());
  cache.insert("b", 1, active());
  cache.insert("c", 1, active());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find("a", 1), std::nullopt);
  EXPECT_TRUE(cache.find("c", 1));
  user_standing_cache none(0);
  none.insert("a", 1, active());
  EXPECT_EQ(none.size(), 0u);
}

}  // namespace
}  // namespace tenantry::api
