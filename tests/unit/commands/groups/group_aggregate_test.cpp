// Groups, role assignments to groups, object permission grants, the object guard the
// writer enforces, and the policy that judges grants.

#include "commands/write_model.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

std::vector<std::string> ids_of(std::initializer_list<const char*> ids) {
  return {ids.begin(), ids.end()};
}

access_binding grant(std::string permission, std::string tenant, std::string object_type = "",
                     std::string object_id = "") {
  access_binding b{"grant",           "g1",         permission,   permission,
                   std::move(tenant), std::nullopt, std::nullopt, {permission}};
  b.object_type = std::move(object_type);
  b.object_id = std::move(object_id);
  return b;
}

TEST(GrantPolicy, AGrantOnATenantHoldsForItsSubtreeOnly) {
  const access_facts facts{{}, {grant("tenant.update", "child")}};
  const auto d = check_access(facts, ids_of({"root", "child", "leaf"}), "tenant.update", {});
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.because[0]["kind"], "grant");
  EXPECT_EQ(d.because[0]["permission"], "tenant.update");
  EXPECT_EQ(d.because[0]["tenant_id"], "child");
  EXPECT_EQ(d.because[0]["inherited"], true);
  EXPECT_FALSE(check_access(facts, ids_of({"root"}), "tenant.update", {}).allowed);
  // One permission, not a role: nothing else comes with it.
  EXPECT_FALSE(check_access(facts, ids_of({"root", "child"}), "tenant.read", {}).allowed);
}

TEST(GrantPolicy, AGrantOnAnObjectHoldsForThatObjectOnly) {
  const access_facts facts{{}, {grant("group.manage", "org", "group", "g-a")}};
  const std::optional<access_object> a = access_object{"group", "g-a"};
  const std::optional<access_object> b = access_object{"group", "g-b"};
  const auto d = check_access(facts, ids_of({"org"}), "group.manage", {}, a);
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.because[0]["object"]["id"], "g-a");
  EXPECT_EQ(d.because[0]["inherited"], false);
  EXPECT_FALSE(check_access(facts, ids_of({"org"}), "group.manage", {}, b).allowed);
  // Not for the tenant owning it either.
  EXPECT_FALSE(check_access(facts, ids_of({"org"}), "group.manage", {}).allowed);
  // A platform-level object (no tenant path): the grant decides there too.
  const access_facts platform{{}, {grant("member.read", "", "group", "g-p")}};
  EXPECT_TRUE(check_access(platform, {}, "member.read", {}, access_object{"group", "g-p"}).allowed);
}

TEST(GrantPolicy, ObjectKindsNameWhoMaySeeThem) {
  EXPECT_EQ(visibility_permission("tenant"), "tenant.read");
  EXPECT_EQ(visibility_permission("group"), "member.read");
  EXPECT_EQ(visibility_permission("grant"), "role.read");
  EXPECT_EQ(visibility_permission("spaceship"), "");
  EXPECT_TRUE(is_grantable_object_type("group"));
  EXPECT_FALSE(is_grantable_object_type("grant"));
}

// What a check of a group's access (GET /v1/authz/check?principal_type=group) judges by:
// the roles assigned to the group and the grants to it, each naming the group; never a
// platform role, nor what a member holds by itself or through another group.
TEST(GrantPolicy, AGroupHoldsItsAssignmentsAndGrantsOnly) {
  access_binding assigned{
      "assignment", "a1", "tenant_admin", "tenant_admin",
      "org",        "g",  std::nullopt,   builtin_role_permissions("tenant_admin")};
  access_binding granted = grant("group.manage", "org", "group", "g-b");
  granted.group_id = "g";
  access_binding own{
      "membership", "m1",         "tenant_admin", "tenant_admin",
      "other",      std::nullopt, std::nullopt,   builtin_role_permissions("tenant_admin")};
  access_binding elsewhere = assigned;
  elsewhere.group_id = "h";
  elsewhere.tenant_id = "other";
  const access_facts facts = group_facts("g", {assigned, granted, own, elsewhere});
  EXPECT_TRUE(facts.platform_roles.empty());
  EXPECT_EQ(facts.bindings.size(), 2u);
  const auto d = check_access(facts, ids_of({"org", "child"}), "tenant.update", {});
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.because[0]["group_id"], "g");
  EXPECT_EQ(d.because[0]["inherited"], true);
  EXPECT_FALSE(check_access(facts, ids_of({"other"}), "tenant.read", {}).allowed);
  const auto on_group =
      check_access(facts, ids_of({"org"}), "group.manage", {}, access_object{"group", "g-b"});
  ASSERT_EQ(on_group.because.size(), 2u);  // the role on org, and the grant on the group
  EXPECT_EQ(on_group.because[1]["kind"], "grant");
  EXPECT_FALSE(check_access(facts, {}, manage_root_tenants, {}).allowed);
  EXPECT_TRUE(is_principal_type("user"));
  EXPECT_TRUE(is_principal_type("group"));
  EXPECT_TRUE(is_principal_type("token"));
  EXPECT_FALSE(is_principal_type("robot"));
}

// ---- groups --------------------------------------------------------------------------------

class Groups : public aggregate_test {
 protected:
  std::string org, child, other, ada, bob;

  void SetUp() override {
    org = created_id(accept(create_tenant{"Org", std::nullopt, "", std::nullopt}));
    child = created_id(accept(create_tenant{"Child", std::nullopt, "", org}));
    other = created_id(accept(create_tenant{"Other", std::nullopt, "", std::nullopt}));
    ada = user("ada@example.com");
    bob = user("bob@example.com");
  }

  std::string user(const std::string& email) {
    return std::get<user_registered>(accept(register_user{email, "", "h", {}}).at(0)).id.value;
  }

  std::string group(std::optional<std::string> tenant, const std::string& name) {
    return std::get<group_created>(
               accept(create_group{std::move(tenant), name, std::nullopt, ""}).at(0))
        .id.value;
  }

  // What the policy sees of `user` on `tenant` (its path) for `permission`.
  bool may(const std::string& user, const std::string& tenant, const std::string& permission) {
    const auto facts = model.facts_of(user_id{user}, {});
    return check_access(facts, model.tenants.path_ids(*model.tenants.find(tenant_id{tenant})),
                        permission, ctx.now)
        .allowed;
  }
};

TEST_F(Groups, NamesAreUniquePerOwnerAndSlugsEverywhere) {
  const auto made = accept(create_group{org, "Editors", std::nullopt, "They edit"});
  const auto& e = std::get<group_created>(made.at(0));
  EXPECT_EQ(e.slug, "editors");
  EXPECT_EQ(e.tenant, tenant_id{org});
  EXPECT_ERROR(when(create_group{org, "EDITORS", std::nullopt, ""}), "group_name_taken");
  // Another owner may use the name; its generated slug is numbered.
  const auto again = accept(create_group{other, "Editors", std::nullopt, ""});
  EXPECT_EQ(std::get<group_created>(again.at(0)).slug, "editors-2");
  const auto platform = accept(create_group{std::nullopt, "Editors", std::string("staff"), ""});
  EXPECT_FALSE(std::get<group_created>(platform.at(0)).tenant);
  EXPECT_ERROR(when(create_group{std::nullopt, "Staff", std::string("staff"), ""}), "slug_taken");
  EXPECT_ERROR(when(create_group{std::nullopt, "x", std::string("Not A Slug"), ""}),
               "validation_error");
  EXPECT_ERROR(when(create_group{std::nullopt, " ", std::nullopt, ""}), "validation_error");
  EXPECT_ERROR(when(create_group{std::string("missing"), "x", std::nullopt, ""}), "not_found");
}

TEST_F(Groups, UpdatesAndSoftDeletes) {
  const std::string g = group(org, "Editors");
  group(org, "Writers");
  EXPECT_ERROR(when(update_group{g, std::string("writers"), {}, {}, {}}), "group_name_taken");
  EXPECT_ERROR(when(update_group{g, std::string("Ed"), {}, {}, 9}), "version_conflict");
  EXPECT_TRUE(accept(update_group{"editors", std::string("Editors"), {}, {}, 1}).empty());
  accept(update_group{g, std::string("Eds"), std::string("d"), std::string("eds"), 1});
  EXPECT_EQ(model.groups.resolve("eds")->name, "Eds");
  EXPECT_EQ(model.groups.resolve("editors"), nullptr);
  accept(delete_group{"eds", std::nullopt});
  EXPECT_ERROR(when(update_group{g, std::string("x"), {}, {}, {}}), "not_found");
  EXPECT_ERROR(when(delete_group{g, std::nullopt}), "not_found");
  // The name is free again; the slug stays reserved.
  EXPECT_EQ(std::get<group_created>(accept(create_group{org, "Eds", std::nullopt, ""}).at(0)).slug,
            "eds-2");
}

// A malformed change is 400 whatever version it names: the form is checked first.
TEST_F(Groups, AMalformedUpdateIsAValidationErrorEvenAtAStaleVersion) {
  const std::string g = group(org, "Editors");
  EXPECT_ERROR(when(update_group{g, std::string(" "), {}, {}, 9}), "validation_error");
  EXPECT_ERROR(when(update_group{g, {}, {}, std::string("Not A Slug"), 9}), "validation_error");
  EXPECT_ERROR(when(update_group{g, {}, std::string(2001, 'd'), {}, 9}), "validation_error");
  EXPECT_ERROR(when(update_group{g, std::string("Eds"), {}, {}, 9}), "version_conflict");
}

TEST_F(Groups, MembersJoinAndLeave) {
  const std::string g = group(org, "Editors");
  accept(add_group_member{g, "ada@example.com"});
  EXPECT_ERROR(when(add_group_member{g, ada}), "already_member");
  EXPECT_ERROR(when(add_group_member{g, "nobody@example.com"}), "not_found");
  auto missing = when(remove_group_member{g, bob});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().details["resource"], "group_member");
  accept(remove_group_member{g, ada});
  EXPECT_FALSE(model.groups.find(group_id{g})->has_member(user_id{ada}));
  EXPECT_EQ(model.groups.find(group_id{g})->version, 3);
}

TEST_F(Groups, ASuspendedTenantTakesNoGroupChanges) {
  const std::string g = group(child, "Editors");
  accept(change_tenant_lifecycle{org, lifecycle_action::suspend, "", std::nullopt});
  EXPECT_ERROR(when(add_group_member{g, ada}), "tenant_not_active");
  EXPECT_ERROR(when(create_group{child, "More", std::nullopt, ""}), "tenant_not_active");
}

// ---- access through groups -------------------------------------------------------------------

TEST_F(Groups, MembersHoldTheGroupsRolesUntilTheyLeave) {
  const std::string g = group(org, "Admins");
  accept(add_group_member{g, ada});
  accept(assign_role{child, "group", "admins", "tenant_admin", std::nullopt});
  EXPECT_TRUE(may(ada, child, "tenant.update"));
  EXPECT_FALSE(may(ada, org, "tenant.update"));  // held on child, not above
  const auto facts = model.facts_of(user_id{ada}, {});
  ASSERT_EQ(facts.bindings.size(), 1u);
  EXPECT_EQ(facts.bindings[0].group_id, g);
  EXPECT_FALSE(may(bob, child, "tenant.update"));
  accept(remove_group_member{g, ada});
  EXPECT_FALSE(may(ada, child, "tenant.update"));
}

TEST_F(Groups, ATenantsGroupHoldsRolesOnItsSubtreeAPlatformGroupAnywhere) {
  group(child, "Locals");
  group(std::nullopt, "Staff");
  EXPECT_ERROR(when(assign_role{org, "group", "locals", "viewer", std::nullopt}), "not_found");
  EXPECT_ERROR(when(assign_role{other, "group", "locals", "viewer", std::nullopt}), "not_found");
  EXPECT_ERROR(when(assign_role{org, "group", "nothing", "viewer", std::nullopt}), "not_found");
  accept(assign_role{child, "group", "locals", "viewer", std::nullopt});
  accept(assign_role{other, "group", "staff", "viewer", std::nullopt});
}

TEST_F(Groups, DeletingAGroupRevokesWhatItHeldAtOnce) {
  const std::string g = group(org, "Admins");
  accept(add_group_member{g, ada});
  const std::string auditor =
      std::get<role_defined>(accept(define_role{org, "auditor", "", {"audit.read"}}).at(0))
          .id.value;
  accept(assign_role{org, "group", g, auditor, std::nullopt});
  accept(grant_permission{"group", g, "tenant.update", "tenant", org});
  accept(grant_permission{"user", bob, "member.read", "group", g});
  EXPECT_ERROR(when(delete_role{org, auditor}), "role_in_use");  // held through the group
  EXPECT_TRUE(may(ada, org, "audit.read"));
  EXPECT_TRUE(may(ada, org, "tenant.update"));
  const auto gone = accept(delete_group{g, std::nullopt});
  ASSERT_EQ(gone.size(), 4u);  // the group, its assignment, the grant to it, the grant on it
  EXPECT_TRUE(std::holds_alternative<role_assignment_revoked>(gone[1]));
  EXPECT_FALSE(may(ada, org, "audit.read"));
  EXPECT_FALSE(may(ada, org, "tenant.update"));
  EXPECT_EQ(accept(delete_role{org, auditor}).size(), 1u);
}

TEST_F(Groups, ARecursiveTenantDeleteHidesItsGroupsAndARestoreBringsThemBack) {
  const std::string g = group(child, "Admins");
  accept(add_group_member{g, ada});
  accept(assign_role{child, "group", g, "tenant_admin", std::nullopt});
  accept(delete_tenant{org, true, std::nullopt});
  EXPECT_ERROR(when(add_group_member{g, bob}), "not_found");
  EXPECT_TRUE(model.facts_of(user_id{ada}, {}).bindings.empty());
  accept(restore_tenant{org, std::nullopt});
  EXPECT_TRUE(may(ada, child, "tenant.update"));
  accept(add_group_member{g, bob});
}

// ---- grants ------------------------------------------------------------------------------------

TEST_F(Groups, GrantsAreValidatedAndGivenOnce) {
  const std::string g = group(org, "Editors");
  EXPECT_ERROR(when(grant_permission{"robot", ada, "tenant.read", "tenant", org}),
               "validation_error");
  EXPECT_ERROR(when(grant_permission{"user", ada, "warp.drive", "tenant", org}),
               "validation_error");
  EXPECT_ERROR(when(grant_permission{"user", ada, std::string(manage_users), "tenant", org}),
               "validation_error");
  EXPECT_ERROR(when(grant_permission{"user", ada, "tenant.read", "grant", org}),
               "validation_error");
  EXPECT_ERROR(when(grant_permission{"user", ada, "tenant.read", "tenant", "missing"}),
               "not_found");
  EXPECT_ERROR(when(grant_permission{"user", "nobody", "tenant.read", "tenant", org}), "not_found");
  // A group holds grants where it could hold roles.
  EXPECT_ERROR(when(grant_permission{"group", g, "tenant.read", "tenant", other}), "not_found");
  const auto given = accept(grant_permission{"user", "ada@example.com", "tenant.read", "group", g});
  const auto& e = std::get<permission_granted>(given.at(0));
  EXPECT_EQ(e.principal_id, ada);
  EXPECT_EQ(e.object_id, g);
  EXPECT_EQ(e.tenant, tenant_id{org});
  EXPECT_ERROR(when(grant_permission{"user", ada, "tenant.read", "group", "editors"}),
               "already_granted");
  // For another command's decide (an invitation's accept): none when already held.
  auto again = decide_grant(model, grant_permission{"user", ada, "tenant.read", "group", g}, ctx);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
  accept(revoke_permission{e.id.value});
  EXPECT_ERROR(when(revoke_permission{e.id.value}), "invalid_state_transition");
  EXPECT_ERROR(when(revoke_permission{"nothing"}), "not_found");
}

TEST_F(Groups, AGrantOnATenantHoldsBelowItAndGoesWithItsRevoke) {
  const auto given = accept(grant_permission{"user", ada, "tenant.update", "tenant", org});
  EXPECT_TRUE(may(ada, child, "tenant.update"));
  EXPECT_FALSE(may(ada, other, "tenant.update"));
  EXPECT_FALSE(may(ada, child, "tenant.delete"));
  accept(revoke_permission{std::get<permission_granted>(given.at(0)).id.value});
  EXPECT_FALSE(may(ada, child, "tenant.update"));
}

// ---- the writer's object guard ----------------------------------------------------------------

class ObjectGuard : public Groups {
 protected:
  result<void> as(const std::string& user, const std::string& permission, const std::string& kind,
                  const std::string& ref, const command& cmd) {
    command_authorization a{user, {}, permission, std::nullopt};
    a.object_kind = kind;
    a.object_ref = ref;
    return model.authorize({a}, cmd, ctx.now);
  }
};

TEST_F(ObjectGuard, HiddenObjectsAre404VisibleOnes403) {
  const std::string g = group(child, "Editors");
  const std::string staff = group(std::nullopt, "Staff");
  const command rename{update_group{g, std::string("x"), {}, {}, {}}};
  accept(add_member{org, ada, {"member"}});  // member.read, no group.manage
  EXPECT_ERROR(as(ada, "group.manage", "group", g, rename), "permission_denied");
  auto hidden = as(bob, "group.manage", "group", g, rename);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, "not_found");
  EXPECT_EQ(hidden.error().details["resource"], "group");
  EXPECT_ERROR(as(ada, "group.manage", "group", "missing", rename), "not_found");
  // A platform group: only platform roles (or a grant on it) reach it.
  EXPECT_ERROR(as(ada, "member.read", "group", staff, rename), "not_found");
  // (The writer honours only platform roles the user holds in the write model.)
  const std::string opal =
      std::get<user_registered>(
          accept(register_user{"opal@example.com", "", "h", {"platform_operator"}}).at(0))
          .id.value;
  command_authorization operator_reads{opal, {"platform_operator"}, "member.read", std::nullopt};
  operator_reads.object_kind = "group";
  operator_reads.object_ref = staff;
  EXPECT_TRUE(model.authorize({operator_reads}, rename, ctx.now));
  operator_reads.permission = "group.manage";
  EXPECT_ERROR(model.authorize({operator_reads}, rename, ctx.now), "permission_denied");
  accept(add_member{org, bob, {"tenant_admin"}});
  EXPECT_TRUE(as(bob, "group.manage", "group", "editors", rename));
}

TEST_F(ObjectGuard, AGrantOnOneGroupOpensThatGroupOnly) {
  const std::string g = group(org, "Editors");
  const std::string h = group(org, "Writers");
  accept(grant_permission{"user", ada, "group.manage", "group", g});
  const command rename{update_group{g, std::string("x"), {}, {}, {}}};
  EXPECT_TRUE(as(ada, "group.manage", "group", g, rename));
  EXPECT_ERROR(as(ada, "group.manage", "group", h, rename), "not_found");
  EXPECT_ERROR(as(ada, "tenant.update", "tenant", org, rename), "not_found");
}

TEST_F(ObjectGuard, NobodyHandsOutThroughAGroupOrAGrantWhatItDoesNotHold) {
  const std::string g = group(org, "Admins");
  accept(assign_role{org, "group", g, "tenant_admin", std::nullopt});
  const std::string manager =
      std::get<role_defined>(
          accept(define_role{org,
                             "manager",
                             "",
                             {"group.manage", "member.read", "role.assign", "tenant.read"}})
              .at(0))
          .id.value;
  accept(add_member{org, ada, {manager}});
  // Joining the group would make bob tenant_admin: more than ada holds.
  const command join{add_group_member{g, bob}};
  EXPECT_ERROR(as(ada, "group.manage", "group", g, join), "permission_denied");
  const std::string plain = group(org, "Plain");
  EXPECT_TRUE(as(ada, "group.manage", "group", plain, command{add_group_member{plain, bob}}));
  // A grant of a permission she does not hold is refused; of one she holds, allowed.
  const command too_much{grant_permission{"user", bob, "tenant.delete", "tenant", org}};
  EXPECT_ERROR(as(ada, "role.assign", "tenant", org, too_much), "permission_denied");
  const command fine{grant_permission{"user", bob, "member.read", "group", plain}};
  EXPECT_TRUE(as(ada, "role.assign", "group", plain, fine));
}

}  // namespace
}  // namespace tenantry::testing
