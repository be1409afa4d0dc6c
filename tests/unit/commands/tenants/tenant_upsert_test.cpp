// Tenant metadata and the upsert by slug (PUT /v1/tenants/{slug}): the writer's rules, and
// its authorization of the upsert's two sides.

#include "commands/access/access_policy.hpp"
#include "commands/metadata_rules.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using TenantMetadata = aggregate_test;
using PutTenant = aggregate_test;

put_tenant put(std::string slug) {
  put_tenant c;
  c.slug = std::move(slug);
  return c;
}

const tenant_state& tenant(const write_model& m, std::string_view slug) {
  const tenant_state* t = m.tenants.resolve(slug);
  EXPECT_NE(t, nullptr) << slug;
  return *t;
}

TEST_F(TenantMetadata, KeysAndValuesKeepTheirRules) {
  const metadata_limits& limits = tenant_metadata_limits;
  EXPECT_TRUE(check_metadata({{"region", "eu"}, {"cost_center-2", ""}}, limits));
  for (const char* key : {"", "Region", "a.b", "ü", "a b"}) {
    auto r = check_metadata({{key, "x"}}, limits);
    ASSERT_FALSE(r) << key;
    EXPECT_EQ(r.error().code, "validation_error");
    EXPECT_EQ(r.error().details["key"], key);
  }
  EXPECT_FALSE(check_metadata({{std::string(65, 'k'), "x"}}, limits));
  EXPECT_TRUE(check_metadata({{std::string(64, 'k'), "x"}}, limits));
  // 1,024 characters, counted as code points: 1,024 two-byte letters pass, 1,025 do not.
  std::string value;
  for (int i = 0; i < 1024; ++i) value += "é";
  EXPECT_TRUE(check_metadata({{"k", value}}, limits));
  EXPECT_FALSE(check_metadata({{"k", value + "e"}}, limits));
  metadata_map many;
  for (int i = 0; i < 64; ++i) many.emplace("k" + std::to_string(i), "v");
  EXPECT_TRUE(check_metadata(many, limits));
  many.emplace("one-more", "v");
  EXPECT_FALSE(check_metadata(many, limits));
}

TEST_F(TenantMetadata, CreateCarriesItAndAPatchMergesIntoIt) {
  create_tenant c{"Acme", {}, "", {}};
  c.metadata = {{"region", "eu"}, {"tier", "gold"}};
  const auto created = accept(c);
  EXPECT_EQ(std::get<tenant_created>(created.at(0)).metadata, c.metadata);

  update_tenant patch{"acme", {}, {}, {}, {}};
  patch.metadata = metadata_patch{{"tier", std::nullopt}, {"owner", "ops"}};
  const auto updated = accept(patch);
  const metadata_map want{{"owner", "ops"}, {"region", "eu"}};
  EXPECT_EQ(std::get<tenant_updated>(updated.at(0)).metadata, want);  // the whole new map
  EXPECT_EQ(tenant(model, "acme").metadata, want);
  EXPECT_TRUE(accept(patch).empty());  // the same patch again changes nothing

  c.name = "Bad";
  c.metadata = {{"Bad Key", "x"}};
  EXPECT_ERROR(when(c), "validation_error");
}

TEST_F(TenantMetadata, APatchCannotPassSixtyFourKeysOnceMerged) {
  create_tenant c{"Acme", {}, "", {}};
  for (int i = 0; i < 60; ++i) c.metadata.emplace("k" + std::to_string(i), "v");
  accept(c);
  update_tenant patch{"acme", {}, {}, {}, {}};
  patch.metadata = metadata_patch{};
  for (int i = 0; i < 5; ++i) patch.metadata->emplace("n" + std::to_string(i), "v");
  EXPECT_ERROR(when(patch), "validation_error");
  patch.metadata->emplace("k0", std::nullopt);  // removing one makes room
  EXPECT_EQ(accept(patch).size(), 1u);
  EXPECT_EQ(tenant(model, "acme").metadata.size(), 64u);
  // A malformed key is refused even where the patch removes it.
  update_tenant bad{"acme", {}, {}, {}, {}};
  bad.metadata = metadata_patch{{"No Such Key", std::nullopt}};
  EXPECT_ERROR(when(bad), "validation_error");
}

TEST_F(PutTenant, CreatesWithExactlyThatSlugNamedByItWithoutAName) {
  const auto events = accept(put("acme-corp"));
  const auto& created = std::get<tenant_created>(events.at(0));
  EXPECT_EQ(created.slug, "acme-corp");
  EXPECT_EQ(created.name, "acme-corp");
  EXPECT_FALSE(created.parent);

  auto child = put("acme-eu");
  child.name = "Acme EU";
  child.parent = std::optional<std::string>("acme-corp");
  child.metadata = {{"region", "eu"}};
  const auto child_events = accept(child);
  const auto& below = std::get<tenant_created>(child_events.at(0));
  EXPECT_EQ(below.parent->value, created.id.value);
  EXPECT_EQ(below.metadata, child.metadata);
}

TEST_F(PutTenant, ReplacesDescriptionAndMetadataAndTheNameOnlyWhenSent) {
  auto first = put("acme");
  first.name = "Acme";
  first.description = "Rockets";
  first.metadata = {{"a", "1"}, {"b", "2"}};
  accept(first);

  auto again = put("acme");  // no name, no description, no metadata: both become empty
  const auto events = accept(again);
  ASSERT_EQ(events.size(), 1u);
  const auto& updated = std::get<tenant_updated>(events.at(0));
  EXPECT_FALSE(updated.name);
  EXPECT_EQ(updated.description, "");
  EXPECT_EQ(updated.metadata, metadata_map{});
  EXPECT_EQ(tenant(model, "acme").name, "Acme");

  again.name = "Acme Inc";
  again.metadata = {{"c", "3"}};
  accept(again);
  EXPECT_EQ(tenant(model, "acme").name, "Acme Inc");
  EXPECT_EQ(tenant(model, "acme").metadata, (metadata_map{{"c", "3"}}));
  EXPECT_TRUE(accept(again).empty());  // the same replace again: nothing to record
  EXPECT_EQ(model.tenants.size(), 1u);
}

TEST_F(PutTenant, AParentOtherThanTheCurrentOneIsAMismatch) {
  accept(put("org"));
  accept(put("other"));
  auto child = put("team");
  child.parent = std::optional<std::string>("org");
  accept(child);

  auto same = put("team");
  same.parent = std::optional<std::string>(id(1));  // the current parent by id
  EXPECT_TRUE(when(same).has_value());
  same.parent = std::optional<std::string>("other");
  EXPECT_ERROR(when(same), "parent_mismatch");
  same.parent = std::optional<std::string>();  // null: a root
  EXPECT_ERROR(when(same), "parent_mismatch");
  same.parent = std::optional<std::string>("missing");
  EXPECT_ERROR(when(same), "parent_mismatch");
  auto root = put("org");
  root.parent = std::optional<std::string>();
  EXPECT_TRUE(when(root).has_value());
  root.parent = std::optional<std::string>("missing");
  EXPECT_ERROR(when(root), "parent_mismatch");
}

TEST_F(PutTenant, ADeletedTenantKeepsItsSlugAndIfMatchNeedsATenant) {
  accept(put("acme"));
  accept(delete_tenant{"acme", false, {}});
  EXPECT_ERROR(when(put("acme")), "slug_taken");
  auto stale = put("new-one");
  stale.expected_version = 1;
  EXPECT_ERROR(when(stale), "version_conflict");
  accept(restore_tenant{"acme", {}});
  auto current = put("acme");
  current.expected_version = 3;  // created, deleted, restored
  current.description = "back";
  EXPECT_TRUE(when(current).has_value());
  current.expected_version = 2;
  EXPECT_ERROR(when(current), "version_conflict");
}

TEST_F(PutTenant, RefusesWhatItsFieldsMayNotHold) {
  EXPECT_ERROR(when(put("Not-Lower")), "validation_error");  // the API lowercases first
  EXPECT_ERROR(when(put(id(9))), "validation_error");        // a UUID is an id, never a slug
  auto blank = put("acme");
  blank.name = " ";
  EXPECT_ERROR(when(blank), "validation_error");
  auto keys = put("acme");
  keys.metadata = {{"Key", "v"}};
  EXPECT_ERROR(when(keys), "validation_error");
  auto under_suspended = put("org");
  accept(under_suspended);
  accept(change_tenant_lifecycle{"org", lifecycle_action::suspend, "", {}});
  auto child = put("team");
  child.parent = std::optional<std::string>("org");
  EXPECT_ERROR(when(child), "parent_not_active");
  under_suspended.description = "x";
  EXPECT_ERROR(when(under_suspended), "tenant_not_active");
}

// The upsert's two checks: tenant.update on the tenant holding the slug, or creating under
// the body's parent when none does; a holder the caller may not see is "slug taken".
class UpsertAuthorization : public aggregate_test {
 protected:
  std::string ada, org, other;
  void SetUp() override {
    org = created_id(accept(put("org")));
    other = created_id(accept(put("other")));
    ada = std::get<user_registered>(accept(register_user{"ada@example.com", "Ada", "h", {}}).at(0))
              .id.value;
    accept(add_member{org, ada, {"tenant_admin"}});
  }
  // The two checks the API sends for PUT /v1/tenants/{slug} with `parent` in the body.
  result<void> upsert(const std::string& slug, std::optional<std::string> parent) {
    command_authorization replace{ada, {}, "tenant.update", slug};
    replace.only_when = slug_condition{slug, true};
    command_authorization create{
        ada,
        {},
        parent ? std::string("tenant.create_child") : std::string(manage_root_tenants),
        parent};
    create.only_when = slug_condition{slug, false};
    auto c = put(slug);
    c.parent = parent;
    return model.authorize({replace, create}, command{c}, ctx.now);
  }
};

TEST_F(UpsertAuthorization, EachSideAppliesOnlyWhereItsConditionHolds) {
  EXPECT_TRUE(upsert("new-team", "org"));  // create under its org: create_child there
  EXPECT_ERROR(upsert("new-team", "other"), "not_found");               // under a hidden tenant
  EXPECT_ERROR(upsert("new-root", std::nullopt), "permission_denied");  // a root
  EXPECT_TRUE(upsert("org", std::nullopt));  // replace its org: the body's parent is not asked
  EXPECT_ERROR(upsert("other", std::nullopt), "slug_taken");  // held by a hidden tenant
  accept(add_member{other, ada, {"viewer"}});
  EXPECT_ERROR(upsert("other", std::nullopt), "permission_denied");  // visible, not its to change
}

}  // namespace
}  // namespace tenantry::testing
