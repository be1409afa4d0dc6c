// Custom roles, role assignments, memberships and the one policy that judges them.

#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using Access = aggregate_test;
using Policy = ::testing::Test;

std::vector<std::string> ids_of(std::initializer_list<const char*> ids) {
  return {ids.begin(), ids.end()};
}

access_binding binding(std::string role, std::string tenant,
                       std::optional<timestamp> expires = std::nullopt) {
  return access_binding{"assignment",      "a1",         role,    role,
                        std::move(tenant), std::nullopt, expires, builtin_role_permissions(role)};
}

TEST_F(Policy, BuiltInRolesHoldWhatTheContractSays) {
  EXPECT_EQ(builtin_role_permissions("tenant_admin").size(), std::size(tenant_permissions));
  for (const auto& p : builtin_role_permissions("member")) EXPECT_TRUE(p.ends_with(".read")) << p;
  EXPECT_EQ(builtin_role_permissions("viewer"), std::vector<std::string>{"tenant.read"});
  EXPECT_TRUE(builtin_role_permissions("emperor").empty());
}

TEST_F(Policy, ARoleHoldsForTheSubtreeNotAbove) {
  const access_facts facts{{}, {binding("tenant_admin", "child")}};
  const timestamp now{};
  EXPECT_TRUE(check_access(facts, ids_of({"root", "child"}), "tenant.update", now).allowed);
  EXPECT_TRUE(check_access(facts, ids_of({"root", "child", "leaf"}), "tenant.delete", now).allowed);
  EXPECT_FALSE(check_access(facts, ids_of({"root"}), "tenant.read", now).allowed);
  EXPECT_FALSE(check_access(facts, ids_of({"other"}), "tenant.read", now).allowed);
  // The platform level is for platform roles only.
  EXPECT_FALSE(check_access(facts, {}, "tenant.read", now).allowed);
}

TEST_F(Policy, ExplainsWhichRoleOnWhichTenantDecided) {
  const access_facts facts{{}, {binding("viewer", "root"), binding("member", "child")}};
  const auto d = check_access(facts, ids_of({"root", "child"}), "tenant.read", timestamp{});
  ASSERT_TRUE(d.allowed);
  ASSERT_EQ(d.because.size(), 2u);
  EXPECT_EQ(d.because[0]["role"], "viewer");
  EXPECT_EQ(d.because[0]["tenant_id"], "root");
  EXPECT_EQ(d.because[0]["inherited"], true);
  EXPECT_EQ(d.because[1]["inherited"], false);
  EXPECT_TRUE(check_access(facts, ids_of({"root"}), "member.read", timestamp{}).because.empty());
}

TEST_F(Policy, ExpiredBindingsCountForNothing) {
  const timestamp t0{std::chrono::milliseconds{1000}};
  const access_facts facts{{}, {binding("tenant_admin", "root", t0)}};
  EXPECT_TRUE(
      check_access(facts, ids_of({"root"}), "tenant.read", t0 - std::chrono::milliseconds(1))
          .allowed);
  EXPECT_FALSE(check_access(facts, ids_of({"root"}), "tenant.read", t0).allowed);
}

TEST_F(Policy, PlatformRoles) {
  const access_facts operator_{{"platform_operator"}, {}};
  EXPECT_TRUE(check_access(operator_, ids_of({"t"}), "tenant.read", timestamp{}).allowed);
  EXPECT_TRUE(check_access(operator_, ids_of({"t"}), tenant_lifecycle, timestamp{}).allowed);
  EXPECT_FALSE(check_access(operator_, ids_of({"t"}), "tenant.update", timestamp{}).allowed);
  EXPECT_FALSE(check_access(operator_, {}, manage_root_tenants, timestamp{}).allowed);
  const access_facts admin{{"platform_admin"}, {}};
  EXPECT_TRUE(check_access(admin, {}, manage_root_tenants, timestamp{}).allowed);
  EXPECT_EQ(check_access(admin, ids_of({"t"}), "tenant.delete", timestamp{}).because[0]["kind"],
            "platform_role");
  // A tenant role never holds a platform-only permission.
  const access_facts tenant_admin{{}, {binding("tenant_admin", "t")}};
  EXPECT_FALSE(check_access(tenant_admin, ids_of({"t"}), tenant_lifecycle, timestamp{}).allowed);
}

// ---- the access rules ---------------------------------------------------------------------

class AccessRules : public aggregate_test {
 protected:
  std::string org, child, other, ada;

  void SetUp() override {
    org = created_id(accept(create_tenant{"Org", std::nullopt, "", std::nullopt}));
    child = created_id(accept(create_tenant{"Child", std::nullopt, "", org}));
    other = created_id(accept(create_tenant{"Other", std::nullopt, "", std::nullopt}));
    ada = std::get<user_registered>(accept(register_user{"ada@example.com", "Ada", "h", {}}).at(0))
              .id.value;
  }

  std::string defined_role(const std::string& tenant, const std::string& name,
                           std::vector<std::string> permissions) {
    return std::get<role_defined>(
               accept(define_role{tenant, name, "", std::move(permissions)}).at(0))
        .id.value;
  }
};

TEST_F(AccessRules, CustomRolesAreValidatedAndNamedOncePerTenant) {
  EXPECT_ERROR(when(define_role{org, "auditor", "", {"audit.read", "warp.drive"}}),
               "validation_error");
  EXPECT_ERROR(when(define_role{org, "tenant_admin", "", {}}), "role_name_taken");
  EXPECT_ERROR(when(define_role{org, "  ", "", {}}), "validation_error");
  const std::string auditor =
      defined_role(org, "auditor", {"audit.read", "audit.read", "tenant.read"});
  EXPECT_EQ(model.access.find_role(role_id{auditor})->permissions,
            (std::vector<std::string>{"audit.read", "tenant.read"}));
  EXPECT_ERROR(when(define_role{org, "auditor", "", {}}), "role_name_taken");
  // The same name on another tenant is another role.
  defined_role(other, "auditor", {});
  EXPECT_ERROR(when(define_role{"missing", "x", "", {}}), "not_found");
  EXPECT_ERROR(when(change_role{org, auditor, "auditor", "", {}, 7}), "version_conflict");
  EXPECT_EQ(accept(change_role{org, auditor, "readers", "", {"tenant.read"}, 1}).size(), 1u);
  EXPECT_EQ(model.access.find_role(role_id{auditor})->name, "readers");
}

TEST_F(AccessRules, ACustomRoleIsUsableOnItsTenantAndBelowOnly) {
  const std::string auditor = defined_role(org, "auditor", {"audit.read"});
  accept(assign_role{child, "user", ada, "auditor", std::nullopt});            // by name, inherited
  accept(assign_role{org, "user", "ada@example.com", auditor, std::nullopt});  // by id, by email
  EXPECT_ERROR(when(assign_role{other, "user", ada, auditor, std::nullopt}), "validation_error");
  EXPECT_ERROR(when(assign_role{org, "user", "nobody@example.com", "member", std::nullopt}),
               "not_found");
  EXPECT_ERROR(when(assign_role{org, "robot", ada, "member", std::nullopt}), "validation_error");
  EXPECT_ERROR(when(assign_role{org, "user", ada, "member", ctx.now}), "validation_error");
}

TEST_F(AccessRules, ARoleInUseIsNotDeleted) {
  const std::string auditor = defined_role(org, "auditor", {"audit.read"});
  const auto assigned = accept(assign_role{org, "user", ada, auditor, std::nullopt});
  EXPECT_ERROR(when(delete_role{org, auditor}), "role_in_use");
  accept(revoke_role_assignment{org, std::get<role_assigned>(assigned.at(0)).id.value});
  EXPECT_ERROR(when(revoke_role_assignment{org, std::get<role_assigned>(assigned.at(0)).id.value}),
               "invalid_state_transition");
  accept(delete_role{org, auditor});
  EXPECT_ERROR(when(delete_role{org, auditor}), "not_found");
  // Deleted: it grants nothing any more and cannot be assigned.
  EXPECT_ERROR(when(assign_role{org, "user", ada, auditor, std::nullopt}), "validation_error");
}

TEST_F(AccessRules, ExpiredAssignmentsDoNotKeepARoleInUse) {
  const std::string auditor = defined_role(org, "auditor", {"audit.read"});
  accept(assign_role{org, "user", ada, auditor, ctx.now + std::chrono::hours(1)});
  EXPECT_ERROR(when(delete_role{org, auditor}), "role_in_use");
  ctx.now += std::chrono::hours(2);
  EXPECT_EQ(accept(delete_role{org, auditor}).size(), 1u);
}

TEST_F(AccessRules, MembershipsAndTheirRoles) {
  const auto added = accept(add_member{org, ada, {}});
  EXPECT_EQ(std::get<member_added>(added.at(0)).roles, std::vector<std::string>{"member"});
  EXPECT_ERROR(when(add_member{org, "ada@example.com", {"viewer"}}), "already_member");
  EXPECT_TRUE(accept(change_member{org, ada, {"member"}, std::nullopt}).empty());  // no change
  EXPECT_ERROR(when(change_member{org, ada, {"viewer"}, 7}), "version_conflict");
  accept(change_member{org, ada, {"tenant_admin", "viewer"}, std::nullopt});
  const auto bindings = model.access.bindings_of(user_id{ada});
  ASSERT_EQ(bindings.size(), 2u);
  EXPECT_EQ(bindings[0].role, "tenant_admin");
  EXPECT_EQ(bindings[0].tenant_id, org);
  EXPECT_ERROR(when(delete_tenant{org, false, std::nullopt}), "tenant_has_children");
  EXPECT_ERROR(when(add_member{other, ada, {"no-such-role"}}), "validation_error");
  accept(add_member{other, ada, {"viewer"}});
  EXPECT_ERROR(when(delete_tenant{other, false, std::nullopt}), "tenant_not_empty");
  EXPECT_EQ(accept(delete_tenant{other, true, std::nullopt}).size(), 1u);
  accept(remove_member{org, ada});
  EXPECT_ERROR(when(remove_member{org, ada}), "not_found");
  EXPECT_EQ(model.access.member_count(tenant_id{org}, model.users), 0u);
}

// A deleted user's membership is hidden everywhere, so it does not keep its tenant from being
// deleted. Restoring the user then leaves it hidden with the tenant; the tenant's restore
// brings it back, and with it the tenant_not_empty rule.
TEST_F(AccessRules, ADeletedUsersMembershipDoesNotKeepItsTenant) {
  accept(add_member{other, ada, {"viewer"}});
  EXPECT_ERROR(when(delete_tenant{other, false, std::nullopt}), "tenant_not_empty");
  accept(delete_user{ada});
  EXPECT_EQ(model.access.member_count(tenant_id{other}, model.users), 0u);
  accept(delete_tenant{other, false, std::nullopt});
  accept(restore_user{ada});
  // Hidden with its tenant: no command reaches it while the tenant is deleted.
  const command promote{change_member{other, ada, {"member"}, std::nullopt}};
  EXPECT_ERROR(when(promote), "not_found");
  ASSERT_NE(model.access.membership(tenant_id{other}, user_id{ada}), nullptr);
  accept(restore_tenant{other, std::nullopt});
  EXPECT_EQ(model.access.member_count(tenant_id{other}, model.users), 1u);
  EXPECT_EQ(accept(promote).size(), 1u);
  EXPECT_ERROR(when(delete_tenant{other, false, std::nullopt}), "tenant_not_empty");
}

TEST_F(AccessRules, InactiveTenantsTakeNoAccessChanges) {
  accept(change_tenant_lifecycle{org, lifecycle_action::suspend, "", std::nullopt});
  EXPECT_ERROR(when(add_member{child, ada, {}}), "tenant_not_active");
}

// ---- the writer's authorization -------------------------------------------------------------

class WriterAuthorization : public AccessRules {
 protected:
  std::string bob;
  void SetUp() override {
    AccessRules::SetUp();
    bob = std::get<user_registered>(accept(register_user{"bob@example.com", "Bob", "h", {}}).at(0))
              .id.value;
  }
  result<void> as(const std::string& user, const std::string& permission,
                  std::optional<std::string> tenant, const command& cmd) {
    return model.authorize({command_authorization{user, {}, permission, std::move(tenant)}}, cmd,
                           ctx.now);
  }
};

TEST_F(WriterAuthorization, HiddenTenantsAre404VisibleOnes403) {
  accept(add_member{child, ada, {"tenant_admin"}});
  const command create_below{create_tenant{"x", std::nullopt, "", child}};
  EXPECT_TRUE(as(ada, "tenant.create_child", child, create_below));
  // Above its subtree, in another organization, and where nothing exists: alike.
  EXPECT_ERROR(as(ada, "tenant.create_child", org, create_below), "not_found");
  EXPECT_ERROR(as(ada, "tenant.update", other, create_below), "not_found");
  EXPECT_ERROR(as(ada, "tenant.update", std::string("missing"), create_below), "not_found");
  EXPECT_ERROR(as(ada, std::string(manage_root_tenants), std::nullopt, create_below),
               "permission_denied");
  accept(add_member{org, bob, {"viewer"}});
  EXPECT_ERROR(as(bob, "tenant.update", child, create_below), "permission_denied");
  EXPECT_ERROR(as(bob, std::string(tenant_lifecycle), org, create_below), "permission_denied");
  // A platform role decides where it exists, and leaves a missing tenant to the command.
  // (The writer honours only platform roles the user still holds in the write model.)
  const std::string pat =
      std::get<user_registered>(
          accept(register_user{"pat@example.com", "Pat", "h", {"platform_admin"}}).at(0))
          .id.value;
  EXPECT_TRUE(model.authorize(
      {command_authorization{pat, {"platform_admin"}, "tenant.update", std::string("missing")}},
      create_below, ctx.now));
  EXPECT_ERROR(
      model.authorize(
          {command_authorization{bob, {"platform_admin"}, "tenant.update", std::string("missing")}},
          create_below, ctx.now),
      "not_found");
}

TEST_F(WriterAuthorization, NobodyHandsOutMoreThanItHolds) {
  const std::string assigner =
      defined_role(org, "assigner", {"role.assign", "member.manage", "tenant.read"});
  accept(add_member{org, ada, {assigner}});
  const command give_admin{assign_role{org, "user", bob, "tenant_admin", std::nullopt}};
  EXPECT_ERROR(as(ada, "role.assign", org, give_admin), "permission_denied");
  const command give_viewer{assign_role{org, "user", bob, "viewer", std::nullopt}};
  EXPECT_TRUE(as(ada, "role.assign", org, give_viewer));
  const command add_admin{add_member{org, bob, {"tenant_admin"}}};
  EXPECT_ERROR(as(ada, "member.manage", org, add_admin), "permission_denied");
  // Default membership role: member (all reads), more than this role holds.
  const command add_default{add_member{org, bob, {}}};
  EXPECT_ERROR(as(ada, "member.manage", org, add_default), "permission_denied");
}

TEST_F(WriterAuthorization, RevokedAndExpiredAssignmentsStopWorking) {
  const auto a =
      accept(assign_role{org, "user", ada, "tenant_admin", ctx.now + std::chrono::hours(1)});
  const command rename{update_tenant{org, "New", std::nullopt, std::nullopt, std::nullopt}};
  EXPECT_TRUE(as(ada, "tenant.update", org, rename));
  ctx.now += std::chrono::hours(2);
  EXPECT_ERROR(as(ada, "tenant.update", org, rename), "not_found");
  const auto b = accept(assign_role{org, "user", ada, "tenant_admin", std::nullopt});
  EXPECT_TRUE(as(ada, "tenant.update", org, rename));
  accept(revoke_role_assignment{org, std::get<role_assigned>(b.at(0)).id.value});
  EXPECT_ERROR(as(ada, "tenant.update", org, rename), "not_found");
  (void)a;
}

}  // namespace
}  // namespace tenantry::testing
