#include <gtest/gtest.h>

#include "projections/tenants/tenant_feature_flag_queries.hpp"

namespace tenantry {
namespace {

using nlohmann::json;

flag_row row(std::string tenant, std::string key, json value) {
  flag_row f;
  f.tenant_slug = tenant + "-slug";
  f.tenant_id = std::move(tenant);
  f.key = std::move(key);
  f.value = std::move(value);
  return f;
}

// The deepest tenant of the path that sets a key wins it, whatever the rows' order; a
// flag set on the tenant itself is not inherited; rows of other tenants are ignored.
TEST(EffectiveFlags, TheDeepestSettingOfEachKeyWins) {
  const std::vector<flag_row> rows{row("leaf", "beta", true),    row("root", "beta", false),
                                   row("root", "billing", "v1"), row("mid", "billing", "v2"),
                                   row("elsewhere", "zeta", 1),  row("root", "alpha", 0)};
  const auto found = effective_flags(rows, {"root", "mid", "leaf"});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].flag->key, "alpha");
  EXPECT_EQ(found[0].flag->tenant_id, "root");
  EXPECT_TRUE(found[0].inherited);
  EXPECT_EQ(found[1].flag->key, "beta");
  EXPECT_EQ(found[1].flag->tenant_id, "leaf");
  EXPECT_FALSE(found[1].inherited);
  EXPECT_EQ(found[2].flag->key, "billing");
  EXPECT_EQ(found[2].flag->value, json("v2"));
  EXPECT_TRUE(found[2].inherited);
  EXPECT_TRUE(effective_flags(rows, {}).empty());
}

}  // namespace
}  // namespace tenantry
