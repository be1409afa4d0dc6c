#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "events/ids.hpp"

namespace tenantry {
namespace {

std::uint64_t millis_prefix(const std::string& uuid) {
  std::string hex = uuid.substr(0, 8) + uuid.substr(9, 4);
  return std::stoull(hex, nullptr, 16);
}

TEST(UuidV7, HasCanonicalShape) {
  const std::string id = new_uuid_v7();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(looks_like_uuid(id)) << id;
}

TEST(UuidV7, CarriesVersionAndVariant) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_uuid_v7();
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(UuidV7, StartsWithTheCurrentUnixMilliseconds) {
  using namespace std::chrono;
  const auto before = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const std::string id = new_uuid_v7();
  const auto after = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_GE(millis_prefix(id), static_cast<std::uint64_t>(before));
  EXPECT_LE(millis_prefix(id), static_cast<std::uint64_t>(after));
}

TEST(UuidV7, PrefixNeverGoesBackAndIdsAreUnique) {
  std::set<std::string> seen;
  std::uint64_t last = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_uuid_v7();
    EXPECT_GE(millis_prefix(id), last);
    last = millis_prefix(id);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(LooksLikeUuid, AcceptsOnlyCanonicalLowercase) {
  EXPECT_TRUE(looks_like_uuid("0190f0a4-7f3b-7c2d-8e9f-0123456789ab"));
  EXPECT_FALSE(looks_like_uuid("0190F0A4-7F3B-7C2D-8E9F-0123456789AB"));
  EXPECT_FALSE(looks_like_uuid("0190f0a47f3b7c2d8e9f0123456789ab"));
  EXPECT_FALSE(looks_like_uuid("0190f0a4-7f3b-7c2d-8e9f-0123456789a"));
  EXPECT_FALSE(looks_like_uuid("0190f0a4-7f3b-7c2d-8e9f_0123456789ab"));
  EXPECT_FALSE(looks_like_uuid("acme"));
  EXPECT_FALSE(looks_like_uuid(""));
}

TEST(StrongId, ComparesAndHashesByValue) {
  EXPECT_EQ(tenant_id{"a"}, tenant_id{"a"});
  EXPECT_LT(tenant_id{"a"}, tenant_id{"b"});
  EXPECT_EQ(std::hash<tenant_id>{}(tenant_id{"a"}), std::hash<std::string>{}("a"));
  EXPECT_TRUE(user_id{}.empty());
}

}  // namespace
}  // namespace tenantry
