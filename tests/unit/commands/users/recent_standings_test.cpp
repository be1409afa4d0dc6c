// The writer's standings ahead of the read models: believed until the projector passes
// their offset, the latest per user, and bounded.

#include "commands/users/recent_standings.hpp"

#include <gtest/gtest.h>

namespace tenantry {
namespace {

TEST(RecentStandings, BelievedUntilTheReadModelsPassTheirOffset) {
  recent_standings standings;
  standings.record("u1", writer_standing{false, 3, {}, 41});
  ASSERT_TRUE(standings.find("u1", 40));
  EXPECT_FALSE(standings.find("u1", 40)->in_good_standing);
  EXPECT_TRUE(standings.find("u1", 41));   // offset 41 not applied yet
  EXPECT_FALSE(standings.find("u1", 42));  // applied: the read models know
  EXPECT_FALSE(standings.find("u2", 0));
}

TEST(RecentStandings, TheLatestRecordOfAUserCounts) {
  recent_standings standings;
  standings.record("u1", writer_standing{false, 1, {}, 10});
  standings.record("u1", writer_standing{true, 1, {"super_admin"}, 12});
  ASSERT_TRUE(standings.find("u1", 5));
  EXPECT_TRUE(standings.find("u1", 5)->in_good_standing);
  EXPECT_EQ(standings.size(), 1u);
}

TEST(RecentStandings, HoldsAtMostItsCapacityOldestFirst) {
  recent_standings standings(100);
  for (int i = 0; i < 1000; ++i)
    standings.record("u" + std::to_string(i), writer_standing{false, 0, {}, i});
  EXPECT_EQ(standings.size(), 100u);
  EXPECT_FALSE(standings.find("u0", 0));
  EXPECT_TRUE(standings.find("u999", 0));
  // A user recorded again keeps its later record when its first one is dropped.
  recent_standings again(2);
  again.record("a", writer_standing{false, 0, {}, 1});
  again.record("a", writer_standing{false, 0, {}, 2});
  again.record("b", writer_standing{false, 0, {}, 3});
  EXPECT_TRUE(again.find("a", 0));
  EXPECT_TRUE(again.find("b", 0));
}

}  // namespace
}  // namespace tenantry
