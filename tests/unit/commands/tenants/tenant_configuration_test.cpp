// A tenant's configuration: merge patches (RFC 7396), the 64 KiB limit, the shared version.

#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using TenantConfiguration = aggregate_test;
using nlohmann::json;

configure_tenant configure(std::string ref, json patch, std::optional<std::int64_t> v = {}) {
  return configure_tenant{std::move(ref), std::move(patch), v};
}

TEST_F(TenantConfiguration, APatchMergesAndTheEventCarriesTheWholeResult) {
  accept(create_tenant{"Acme", {}, "", {}});
  auto first = accept(configure("acme", json::parse(R"({"theme": {"color": "red"}, "limit": 5})")));
  EXPECT_EQ(std::get<tenant_configured>(first.at(0)).configuration,
            json::parse(R"({"theme": {"color": "red"}, "limit": 5})"));
  auto second =
      accept(configure("acme", json::parse(R"({"theme": {"logo": "x.png"}, "limit": null})")));
  const json want = json::parse(R"({"theme": {"color": "red", "logo": "x.png"}})");
  EXPECT_EQ(std::get<tenant_configured>(second.at(0)).configuration, want);
  EXPECT_EQ(model.tenants.resolve("acme")->configuration, want);
  EXPECT_EQ(model.tenants.resolve("acme")->version, 3);  // the tenant's own version
  EXPECT_TRUE(accept(configure("acme", json::parse(R"({"theme": {"color": "red"}})"))).empty());
  EXPECT_TRUE(accept(configure("acme", json::object())).empty());
}

TEST_F(TenantConfiguration, IfMatchIsTheTenantsVersion) {
  accept(create_tenant{"Acme", {}, "", {}});
  accept(update_tenant{"acme", "Acme 2", {}, {}, {}});
  EXPECT_ERROR(when(configure("acme", json{{"a", 1}}, 1)), "version_conflict");
  EXPECT_TRUE(when(configure("acme", json{{"a", 1}}, 2)).has_value());
}

TEST_F(TenantConfiguration, RefusesNonObjectsOversizedResultsAndInactiveTenants) {
  accept(create_tenant{"Acme", {}, "", {}});
  EXPECT_ERROR(when(configure("acme", json::array())), "validation_error");
  EXPECT_ERROR(when(configure("acme", json("text"))), "validation_error");
  // 64 KiB once merged: two halves that pass alone do not pass together.
  const std::string half(40 * 1024, 'x');
  accept(configure("acme", json{{"a", half}}));
  auto over = when(configure("acme", json{{"b", half}}));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, "validation_error");
  EXPECT_TRUE(over.error().details.contains("configuration"));
  EXPECT_TRUE(when(configure("acme", json{{"a", nullptr}, {"b", half}})).has_value());
  EXPECT_ERROR(when(configure("missing", json{{"a", 1}})), "not_found");
  accept(change_tenant_lifecycle{"acme", lifecycle_action::suspend, "", {}});
  EXPECT_ERROR(when(configure("acme", json{{"c", 1}})), "tenant_not_active");
}

TEST_F(TenantConfiguration, ADeleteAndRestoreKeepIt) {
  accept(create_tenant{"Acme", {}, "", {}});
  accept(configure("acme", json{{"a", 1}}));
  accept(delete_tenant{"acme", false, {}});
  EXPECT_ERROR(when(configure("acme", json{{"b", 1}})), "not_found");
  accept(restore_tenant{"acme", {}});
  EXPECT_EQ(model.tenants.resolve("acme")->configuration, (json{{"a", 1}}));
}

}  // namespace
}  // namespace tenantry::testing
