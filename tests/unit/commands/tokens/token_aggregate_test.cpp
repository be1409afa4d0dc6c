// API tokens: the rules that issue and revoke them, and how the writer judges what a token
// may do (its creator's current roles, limited to the token's tenant subtree and scopes).

#include "commands/object_kinds.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

// A SHA-256-shaped hash, different for every n.
std::string hash(int n) {
  const std::string digits = std::to_string(n);
  return std::string(64 - digits.size(), 'a') + digits;
}

class TokenRules : public aggregate_test {
 protected:
  std::string org, child, other, ada, bob;
  int secrets = 0;

  void SetUp() override {
    org = created_id(accept(create_tenant{"Org", std::nullopt, "", std::nullopt}));
    child = created_id(accept(create_tenant{"Child", std::nullopt, "", org}));
    other = created_id(accept(create_tenant{"Other", std::nullopt, "", std::nullopt}));
    ada = registered("ada@example.com", {});
    bob = registered("bob@example.com", {});
  }

  std::string registered(const std::string& email, std::vector<std::string> platform_roles) {
    return std::get<user_registered>(
               accept(register_user{email, "", "h", std::move(platform_roles)}).at(0))
        .id.value;
  }

  issue_token request(const std::string& tenant, const std::string& name,
                      std::vector<std::string> scopes, std::chrono::seconds lifetime = 1h,
                      const std::string& creator = "") {
    return issue_token{tenant,
                       creator.empty() ? ada : creator,
                       name,
                       "",
                       std::move(scopes),
                       hash(++secrets),
                       "tnt_prefix12",
                       ctx.now + lifetime};
  }

  std::string issued(const issue_token& c) {
    return std::get<token_issued>(accept(c).at(0)).id.value;
  }
};

TEST_F(TokenRules, IssuingRecordsOnlyTheHashWithSortedScopes) {
  const auto events = accept(request(org, "ci", {"site.read", "tenant.read", "site.read"}));
  ASSERT_EQ(events.size(), 1u);
  const auto& e = std::get<token_issued>(events[0]);
  EXPECT_EQ(e.tenant.value, org);
  EXPECT_EQ(e.created_by.value, ada);
  EXPECT_EQ(e.scopes, (std::vector<std::string>{"site.read", "tenant.read"}));
  EXPECT_EQ(e.secret_hash, hash(1));
  EXPECT_EQ(e.expires_at, ctx.now + 1h);
  const token_state* t = model.tokens.find(e.id);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->live(ctx.now));
  EXPECT_EQ(model.tokens.find_by_hash(hash(1)), t);
}

TEST_F(TokenRules, ScopesAreTenantPermissionsButNeverTokenManage) {
  EXPECT_ERROR(when(request(org, "ci", {})), "validation_error");
  EXPECT_ERROR(when(request(org, "ci", {"warp.drive"})), "validation_error");
  EXPECT_ERROR(when(request(org, "ci", {"platform.manage_tenants"})), "validation_error");
  auto minting = when(request(org, "ci", {"tenant.read", "token.manage"}));
  ASSERT_FALSE(minting);
  EXPECT_TRUE(minting.error().details.contains("scopes")) << minting.error().details;
}

TEST_F(TokenRules, NamesAreCheckedAndUniqueAmongLiveTokens) {
  EXPECT_ERROR(when(request(org, " \t", {"tenant.read"})), "validation_error");
  EXPECT_ERROR(when(request(org, std::string(101, 'n'), {"tenant.read"})), "validation_error");
  EXPECT_ERROR(when(request(org, "line\nbreak", {"tenant.read"})), "validation_error");
  const std::string ci = issued(request(org, "ci", {"tenant.read"}, 1h));
  EXPECT_ERROR(when(request(org, "ci", {"tenant.read"})), "token_name_taken");
  issued(request(child, "ci", {"tenant.read"}));  // another tenant's names are its own
  // Once revoked (or expired), the name is free again.
  accept(revoke_token{org, ci, std::nullopt});
  issued(request(org, "ci", {"tenant.read"}, 30min));
  ctx.now += 31min;
  EXPECT_EQ(accept(request(org, "ci", {"tenant.read"})).size(), 1u);
}

TEST_F(TokenRules, LifetimeIsInTheFutureAndAtMost365Days) {
  EXPECT_ERROR(when(request(org, "ci", {"tenant.read"}, 0s)), "validation_error");
  EXPECT_ERROR(when(request(org, "ci", {"tenant.read"}, -1h)), "validation_error");
  EXPECT_ERROR(when(request(org, "ci", {"tenant.read"}, max_token_lifetime + 1s)),
               "validation_error");
  EXPECT_EQ(accept(request(org, "ci", {"tenant.read"}, max_token_lifetime)).size(), 1u);
}

TEST_F(TokenRules, ATenantHoldsAtMost50LiveTokens) {
  for (std::size_t i = 0; i < max_live_tokens_per_tenant; ++i)
    issued(request(org, "t" + std::to_string(i), {"tenant.read"}, i == 0 ? 1min : 1h));
  EXPECT_ERROR(when(request(org, "one more", {"tenant.read"})), "token_limit_reached");
  ctx.now += 2min;  // the first one expired: room for one
  EXPECT_EQ(accept(request(org, "one more", {"tenant.read"})).size(), 1u);
  EXPECT_ERROR(when(request(org, "and another", {"tenant.read"})), "token_limit_reached");
}

TEST_F(TokenRules, IssuingNeedsALiveActiveTenantAndAKnownCreator) {
  EXPECT_ERROR(when(request("missing", "ci", {"tenant.read"})), "not_found");
  EXPECT_ERROR(when(request(org, "ci", {"tenant.read"}, 1h, new_uuid_v7())), "not_found");
  const std::string ci = issued(request(child, "ci", {"tenant.read"}));
  accept(change_tenant_lifecycle{org, lifecycle_action::suspend, "", std::nullopt});
  EXPECT_ERROR(when(request(child, "other", {"tenant.read"})), "tenant_not_active");
  // Revoking works whatever the status: it is how an admin stops a leaked token.
  EXPECT_EQ(accept(revoke_token{child, ci, std::nullopt}).size(), 1u);
}

TEST_F(TokenRules, RevokingOnceOnItsOwnTenantAtTheExpectedVersion) {
  const std::string ci = issued(request(org, "ci", {"tenant.read"}));
  EXPECT_ERROR(when(revoke_token{child, ci, std::nullopt}), "not_found");
  EXPECT_ERROR(when(revoke_token{org, new_uuid_v7(), std::nullopt}), "not_found");
  EXPECT_ERROR(when(revoke_token{org, ci, 2}), "version_conflict");
  const auto events = accept(revoke_token{org, ci, 1});
  EXPECT_EQ(std::get<token_revoked>(events.at(0)).reason, "revoked");
  EXPECT_FALSE(model.tokens.find(token_id{ci})->live(ctx.now));
  EXPECT_ERROR(when(revoke_token{org, ci, std::nullopt}), "invalid_state_transition");
}

// A token is an object of its tenant (seen with token.manage there), revoked or not, until
// the tenant is deleted.
TEST_F(TokenRules, ATokenIsAnObjectOfItsTenant) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(child, "ci", {"tenant.read"}));
  const auto found = find_object(model, "token", t);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, "token");
  EXPECT_EQ(owner_path(model, *found), (std::vector<std::string>{org, child}));
  EXPECT_EQ(visibility_permission("token"), "token.manage");
  accept(revoke_token{child, t, std::nullopt});
  EXPECT_TRUE(find_object(model, "token", t));
  accept(delete_tenant{child, true, std::nullopt});
  EXPECT_FALSE(find_object(model, "token", t));
  EXPECT_FALSE(find_object(model, "token", "no-such-token"));
}

TEST(TokenEvents, BelongToTheirTenantsOrganization) {
  write_model model;
  const timestamp at{};
  recorded_event root;
  root.meta.aggregate_version = 1;
  root.data = tenant_created{tenant_id{"org"}, "org", "Org", "", std::nullopt};
  model.apply(root);
  recorded_event issued;
  issued.meta.aggregate_version = 1;
  issued.data = token_issued{token_id{"k"},   tenant_id{"org"}, user_id{"u"}, "ci",   "",
                             {"tenant.read"}, hash(1),          "tnt_",       at + 1h};
  EXPECT_EQ(model.version_of(issued.data), 0);
  model.apply(issued);
  const event revoked = token_revoked{token_id{"k"}, "revoked"};
  EXPECT_EQ(model.version_of(revoked), 1);
  EXPECT_EQ(model.partition_key_of(revoked), "org");
  EXPECT_NE(idempotency_principal("u", "k"), idempotency_principal("u", ""));
}

// ---- what a token may do: the writer's judgement -------------------------------------------

class TokenAuthorization : public TokenRules {
 protected:
  result<void> with_token(const std::string& token, const std::string& permission,
                          std::optional<std::string> tenant, const command& cmd) {
    command_authorization a{ada, {}, permission, std::move(tenant)};
    a.token_id = token;
    return model.authorize({a}, cmd, ctx.now);
  }
  const command rename_child{update_tenant{child, "New", std::nullopt, std::nullopt, std::nullopt}};
};

TEST_F(TokenAuthorization, ActsOnItsSubtreeWithItsScopesOnly) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(child, "ci", {"tenant.read", "tenant.update"}));
  EXPECT_TRUE(with_token(t, "tenant.update", child, rename_child));
  // Above its tenant, though its creator may: hidden. Outside its scopes: 403.
  EXPECT_ERROR(with_token(t, "tenant.update", org, rename_child), "not_found");
  EXPECT_ERROR(with_token(t, "tenant.delete", child, rename_child), "permission_denied");
  EXPECT_ERROR(with_token(t, "tenant.update", other, rename_child), "not_found");
}

TEST_F(TokenAuthorization, NeverMoreThanItsCreatorHoldsNow) {
  const auto given = accept(assign_role{org, "user", ada, "tenant_admin", std::nullopt});
  const std::string t = issued(request(org, "ci", {"tenant.read", "tenant.update"}));
  EXPECT_TRUE(with_token(t, "tenant.update", child, rename_child));
  accept(revoke_role_assignment{org, std::get<role_assigned>(given.at(0)).id.value});
  EXPECT_ERROR(with_token(t, "tenant.update", child, rename_child), "not_found");
  accept(add_member{org, ada, {"viewer"}});
  EXPECT_ERROR(with_token(t, "tenant.update", child, rename_child), "permission_denied");
}

TEST_F(TokenAuthorization, APlatformAdminsTokenHoldsNoPlatformPermission) {
  const std::string root = registered("root@example.com", {"super_admin"});
  const std::string t =
      issued(request(org, "ops", {"tenant.read", "tenant.create_child"}, 1h, root));
  const command create_root{create_tenant{"Root", std::nullopt, "", std::nullopt}};
  EXPECT_ERROR(with_token(t, std::string(manage_root_tenants), std::nullopt, create_root),
               "permission_denied");
  EXPECT_ERROR(with_token(t, std::string(tenant_lifecycle), org, create_root), "permission_denied");
  const command create_below{create_tenant{"Below", std::nullopt, "", child}};
  EXPECT_TRUE(with_token(t, "tenant.create_child", child, create_below));
  EXPECT_ERROR(with_token(t, "tenant.create_child", other, create_below), "not_found");
}

TEST_F(TokenAuthorization, RevokedExpiredOrUnknownTokensAreUnauthenticatedAtOnce) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(org, "ci", {"tenant.update"}, 1h));
  EXPECT_TRUE(with_token(t, "tenant.update", child, rename_child));
  accept(revoke_token{org, t, std::nullopt});
  EXPECT_ERROR(with_token(t, "tenant.update", child, rename_child), "unauthenticated");
  const std::string brief = issued(request(org, "brief", {"tenant.update"}, 10s));
  EXPECT_TRUE(with_token(brief, "tenant.update", child, rename_child));
  ctx.now += 10s;
  EXPECT_ERROR(with_token(brief, "tenant.update", child, rename_child), "unauthenticated");
  EXPECT_ERROR(with_token(new_uuid_v7(), "tenant.update", child, rename_child), "unauthenticated");
  // A token of a deleted tenant stops working with it.
  const std::string below = issued(request(child, "below", {"tenant.update"}));
  accept(delete_tenant{child, true, std::nullopt});
  EXPECT_ERROR(with_token(below, "tenant.update", child, rename_child), "unauthenticated");
}

TEST_F(TokenAuthorization, TokensCannotMintTokensNorHandOutBeyondTheirScopes) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(org, "ci", {"tenant.read", "role.assign", "member.read"}));
  const command mint{request(org, "child token", {"tenant.read"})};
  EXPECT_ERROR(with_token(t, "token.manage", org, mint), "permission_denied");
  const command give_admin{assign_role{org, "user", bob, "tenant_admin", std::nullopt}};
  EXPECT_ERROR(with_token(t, "role.assign", org, give_admin), "permission_denied");
  const command give_viewer{assign_role{org, "user", bob, "viewer", std::nullopt}};
  EXPECT_TRUE(with_token(t, "role.assign", org, give_viewer));
}

TEST_F(TokenAuthorization, AUserIssuesOnlyScopesItHoldsThere) {
  const std::string issuer =
      std::get<role_defined>(
          accept(define_role{org, "issuer", "", {"token.manage", "tenant.read"}}).at(0))
          .id.value;
  accept(add_member{org, ada, {issuer}});
  const command_authorization a{ada, {}, "token.manage", org};
  EXPECT_TRUE(model.authorize({a}, request(org, "reader", {"tenant.read"}), ctx.now));
  auto beyond = model.authorize({a}, request(org, "writer", {"tenant.update"}), ctx.now);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, "permission_denied");
  EXPECT_EQ(beyond.error().details["permission"], "tenant.update");
}

// The creator's standing: a deactivated creator's tokens stop working, a deleted one's are
// revoked with it (and stay revoked when the user is restored).
TEST_F(TokenAuthorization, ACreatorsDeactivationOrDeletionEndsItsTokens) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(org, "ci", {"tenant.update"}));
  EXPECT_TRUE(with_token(t, "tenant.update", child, rename_child));
  accept(change_user_activation{ada, false, "left", std::nullopt});
  EXPECT_ERROR(with_token(t, "tenant.update", child, rename_child), "unauthenticated");
  accept(change_user_activation{ada, true, "", std::nullopt});
  EXPECT_TRUE(with_token(t, "tenant.update", child, rename_child));
  const auto deleted = accept(delete_user{ada, std::nullopt});
  const auto revoked = std::ranges::find_if(deleted, [&](const event& e) {
    const auto* r = std::get_if<token_revoked>(&e);
    return r && r->id.value == t && r->reason == "user_deleted";
  });
  EXPECT_NE(revoked, deleted.end());
  accept(restore_user{ada, std::nullopt});
  EXPECT_ERROR(with_token(t, "tenant.update", child, rename_child), "unauthenticated");
}

// A token acts for its creator within its scopes, never as the user itself: it cannot pass
// the self_or_platform rule for its creator's own record.
TEST_F(TokenAuthorization, NeverActsAsItsCreatorOnTheCreatorsOwnRecord) {
  accept(add_member{org, ada, {"tenant_admin"}});
  const std::string t = issued(request(org, "ci", {"tenant.read"}));
  const command rename_self{update_user{ada, std::nullopt, "Ada L", std::nullopt, std::nullopt}};
  command_authorization self{ada, {}, std::string(manage_users), std::nullopt};
  self.self_ref = ada;
  EXPECT_TRUE(model.authorize({self}, rename_self, ctx.now));
  self.token_id = t;
  EXPECT_ERROR(model.authorize({self}, rename_self, ctx.now), "permission_denied");
}

// ---- the policy with a token's limit -------------------------------------------------------

TEST(TokenPolicy, ALimitKeepsOnlyTheSubtreeAndTheScopes) {
  const access_binding admin{
      "membership", "m",          "tenant_admin", "tenant_admin",
      "root",       std::nullopt, std::nullopt,   builtin_role_permissions("tenant_admin")};
  access_facts facts{{"platform_admin"}, {admin}, token_limit{"k", "child", {"tenant.read"}}};
  const std::vector<std::string> child{"root", "child"}, leaf{"root", "child", "leaf"},
      root{"root"};
  const auto d = check_access(facts, leaf, "tenant.read", timestamp{});
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.because.back()["kind"], "api_token");
  EXPECT_FALSE(check_access(facts, root, "tenant.read", timestamp{}).allowed);
  EXPECT_FALSE(check_access(facts, child, "tenant.update", timestamp{}).allowed);
  EXPECT_FALSE(check_access(facts, {}, manage_root_tenants, timestamp{}).allowed);
  facts.token->scopes.push_back("token.manage");  // even if it were there
  EXPECT_FALSE(check_access(facts, child, "token.manage", timestamp{}).allowed);
  EXPECT_TRUE(is_token_scope("audit.read"));
  EXPECT_FALSE(is_token_scope("token.manage"));
}

// What a check of a token's access (GET /v1/authz/check?principal_type=token) judges by:
// its creator's current facts within the token's limit while it can act, else nothing.
TEST(TokenPolicy, ATokenHoldsItsCreatorsAccessWithinItsLimitWhileItCanAct) {
  const timestamp now{std::chrono::milliseconds{1'000'000}};
  const access_binding admin{
      "membership", "m",          "tenant_admin", "tenant_admin",
      "root",       std::nullopt, std::nullopt,   builtin_role_permissions("tenant_admin")};
  const access_facts creator{{"platform_admin"}, {admin}};
  const token_holder token{token_limit{"k", "child", {"tenant.read", "tenant.update"}}, false,
                           now + 1h, true};
  const std::vector<std::string> child{"root", "child"}, root{"root"};
  const access_facts facts = token_facts(creator, token, now);
  const auto d = check_access(facts, child, "tenant.update", now);
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.because.back()["kind"], "api_token");
  EXPECT_EQ(d.because.back()["id"], "k");
  EXPECT_FALSE(check_access(facts, root, "tenant.read", now).allowed);      // above its tenant
  EXPECT_FALSE(check_access(facts, child, "tenant.delete", now).allowed);   // not a scope
  EXPECT_FALSE(check_access(facts, {}, manage_root_tenants, now).allowed);  // never platform
  // Its creator's roles as they are now: without them, the token holds nothing either.
  EXPECT_FALSE(check_access(token_facts({}, token, now), child, "tenant.read", now).allowed);
  // A token that cannot act holds nothing, its creator's platform role included.
  token_holder revoked = token, expired = token, orphaned = token;
  revoked.revoked = true;
  expired.expires_at = now;
  orphaned.creator_active = false;
  for (const token_holder& dead : {revoked, expired, orphaned}) {
    const access_facts none = token_facts(creator, dead, now);
    EXPECT_TRUE(none.platform_roles.empty());
    EXPECT_TRUE(none.bindings.empty());
    EXPECT_FALSE(check_access(none, child, "tenant.read", now).allowed);
  }
}

}  // namespace
}  // namespace tenantry::testing
