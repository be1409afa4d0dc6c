// A tenant's feature flags: keys and values checked, create or replace, removal, the
// tenant's shared version, the per-tenant limit.

#include "commands/tenants/tenant_feature_flags.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using TenantFeatureFlags = aggregate_test;
using nlohmann::json;

set_feature_flag flag(std::string key, json value, std::string description = "",
                      std::optional<std::int64_t> v = {}) {
  return set_feature_flag{"acme", std::move(key), std::move(value), std::move(description), v};
}

TEST_F(TenantFeatureFlags, ASetCreatesThenReplacesAndAnEqualSetIsNoEvent) {
  accept(create_tenant{"Acme", {}, "", {}});
  auto created = accept(flag("billing.v2", json{{"rollout", 0.25}}, "New billing"));
  ASSERT_EQ(created.size(), 1u);
  const auto& set = std::get<tenant_feature_flag_set>(created[0]);
  EXPECT_EQ(set.key, "billing.v2");
  EXPECT_EQ(set.value, (json{{"rollout", 0.25}}));
  EXPECT_EQ(set.description, "New billing");
  const tenant_state* t = model.tenants.resolve("acme");
  EXPECT_EQ(t->version, 2);
  EXPECT_EQ(t->feature_flags.at("billing.v2").created_version, 2);

  EXPECT_TRUE(accept(flag("billing.v2", json{{"rollout", 0.25}}, "New billing")).empty());
  accept(flag("billing.v2", json{{"rollout", 1}}, "New billing"));
  t = model.tenants.resolve("acme");
  EXPECT_EQ(t->version, 3);
  EXPECT_EQ(t->feature_flags.at("billing.v2").created_version, 2);  // replaced, not new
  EXPECT_EQ(t->feature_flags.at("billing.v2").value, (json{{"rollout", 1}}));
  // A new description alone is a change; null is a value like any other.
  EXPECT_EQ(accept(flag("billing.v2", json{{"rollout", 1}}, "GA")).size(), 1u);
  EXPECT_EQ(accept(flag("dark-mode", nullptr)).size(), 1u);
  EXPECT_TRUE(model.tenants.resolve("acme")->feature_flags.at("dark-mode").value.is_null());
}

TEST_F(TenantFeatureFlags, KeysValuesAndDescriptionsAreChecked) {
  accept(create_tenant{"Acme", {}, "", {}});
  for (const std::string& bad :
       std::vector<std::string>{"", "Upper", "with space", "é", std::string(129, 'k')})
    EXPECT_ERROR(when(flag(bad, true)), "validation_error");
  EXPECT_TRUE(when(flag(std::string(128, 'k'), true)).has_value());
  EXPECT_TRUE(when(flag("a_b.c-9", true)).has_value());
  // 4 KiB of compact JSON: a string of 4,094 characters and its two quotes pass, one more not.
  EXPECT_TRUE(when(flag("big", std::string(4094, 'x'))).has_value());
  auto over = when(flag("big", std::string(4095, 'x')));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, "validation_error");
  EXPECT_TRUE(over.error().details.contains("value"));
  EXPECT_ERROR(when(flag("d", true, std::string(1001, 'd'))), "validation_error");
  EXPECT_ERROR(when(set_feature_flag{"missing", "k", true, "", {}}), "not_found");
}

TEST_F(TenantFeatureFlags, RemoveNeedsTheFlagAndIfMatchIsTheTenantsVersion) {
  accept(create_tenant{"Acme", {}, "", {}});
  accept(flag("beta", true));
  EXPECT_ERROR(when(flag("gamma", true, "", 1)), "version_conflict");
  auto missing = when(remove_feature_flag{"acme", "gamma", {}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "not_found");
  EXPECT_EQ(missing.error().details["resource"], "feature_flag");
  EXPECT_ERROR(when(remove_feature_flag{"acme", "beta", 1}), "version_conflict");
  auto removed = accept(remove_feature_flag{"acme", "beta", 2});
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(std::get<tenant_feature_flag_removed>(removed[0]).key, "beta");
  EXPECT_TRUE(model.tenants.resolve("acme")->feature_flags.empty());
}

TEST_F(TenantFeatureFlags, OneTenantSetsAtMost200AndOnlyWhileActive) {
  accept(create_tenant{"Acme", {}, "", {}});
  for (std::size_t i = 0; i < max_flags_per_tenant; ++i) accept(flag("f" + std::to_string(i), 1));
  EXPECT_ERROR(when(flag("one-more", 1)), "flag_limit_reached");
  EXPECT_EQ(accept(flag("f0", 2)).size(), 1u);  // replacing is not one more
  accept(change_tenant_lifecycle{"acme", lifecycle_action::suspend, "", {}});
  EXPECT_ERROR(when(flag("f1", 3)), "tenant_not_active");
}

TEST_F(TenantFeatureFlags, ADeleteAndRestoreKeepThem) {
  accept(create_tenant{"Acme", {}, "", {}});
  accept(flag("beta", true));
  accept(delete_tenant{"acme", false, {}});
  EXPECT_ERROR(when(flag("beta", false)), "not_found");
  accept(restore_tenant{"acme", {}});
  EXPECT_EQ(model.tenants.resolve("acme")->feature_flags.at("beta").value, json(true));
}

}  // namespace
}  // namespace tenantry::testing
