// The groups read models against the real PostgreSQL: groups and their members, object
// permission grants, the access bindings they give, and the object guard's owner lookup.

#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/access/access_queries.hpp"
#include "projections/grants/grant_queries.hpp"
#include "projections/groups/group_queries.hpp"
#include "projections/object_queries.hpp"

namespace tenantry::testing {
namespace {

class GroupProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    org = script.create("Org");
    child = script.create("Child", org);
    other = script.create("Other");
    ann = script.register_user("ann@example.com", "Ann");
    bob = script.register_user("bob@example.com", "Bob");
    editors = new_uuid_v7();
    script.record(editors, "group",
                  group_created{group_id{editors}, tenant_id{child}, "editors", "Editors", "d"});
    staff = new_uuid_v7();
    script.record(staff, "group",
                  group_created{group_id{staff}, std::nullopt, "staff", "Staff", ""});
    script.record(editors, "group", group_member_added{group_id{editors}, user_id{ann}});
    script.record(staff, "group", group_member_added{group_id{staff}, user_id{bob}});
    assignment = new_uuid_v7();
    script.record(assignment, "role_assignment",
                  role_assigned{assignment_id{assignment}, tenant_id{child}, "group", editors,
                                "tenant_admin", std::nullopt});
    on_other = new_uuid_v7();
    script.record(on_other, "permission_grant",
                  permission_granted{grant_id{on_other}, "user", bob, "tenant.update", "tenant",
                                     other, tenant_id{other}});
    on_editors = new_uuid_v7();
    script.record(on_editors, "permission_grant",
                  permission_granted{grant_id{on_editors}, "group", staff, "member.read", "group",
                                     editors, tenant_id{child}});
    project();
  }

  void project() {
    running_projector projector(log, schema.name());
    projector.await(script.last_offset());
  }

  std::vector<binding_row> bindings(const std::string& user) {
    return bindings_of_user(schema.conn(), user);
  }

  schema_under_test schema;
  memory_event_log log;
  event_script script{log};
  std::string org, child, other, ann, bob, editors, staff, assignment, on_other, on_editors;
};

TEST_F(GroupProjection, GroupsAndMembersBecomeRows) {
  const auto g = find_group(schema.conn(), "editors");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->id, editors);
  EXPECT_EQ(g->tenant_id, child);
  EXPECT_EQ(g->member_count, 1);
  EXPECT_EQ(g->version, 2);
  EXPECT_EQ(find_group(schema.conn(), staff)->tenant_id, std::nullopt);
  group_filter f;
  EXPECT_EQ(list_groups(schema.conn(), f).rows.at(0).id, staff);  // the platform's
  f.tenant_id = child;
  EXPECT_EQ(list_groups(schema.conn(), f).count, 1);
  f.search = "EDIT";
  EXPECT_EQ(list_groups(schema.conn(), f).count, 1);
  f.tenant_id = org;
  EXPECT_EQ(list_groups(schema.conn(), f).count, 0);
  const auto members = list_group_members(schema.conn(), editors, 1, 20);
  ASSERT_EQ(members.count, 1);
  EXPECT_EQ(members.rows[0].email, "ann@example.com");
}

TEST_F(GroupProjection, MembersHoldTheGroupsRolesAndGrants) {
  const auto of_ann = bindings(ann);
  ASSERT_EQ(of_ann.size(), 1u);
  EXPECT_EQ(of_ann[0].source, "assignment");
  EXPECT_EQ(of_ann[0].role, "tenant_admin");
  EXPECT_EQ(of_ann[0].tenant_id, child);
  EXPECT_EQ(of_ann[0].group_id, editors);
  const auto of_bob = bindings(bob);
  ASSERT_EQ(of_bob.size(), 2u);
  for (const auto& b : of_bob) {
    EXPECT_EQ(b.source, "grant");
    if (b.source_id == on_other) {
      EXPECT_EQ(b.tenant_id, other);
      EXPECT_EQ(b.object_type, "");  // a tenant grant holds for the subtree
      EXPECT_EQ(b.permissions, std::vector<std::string>{"tenant.update"});
      EXPECT_EQ(b.group_id, std::nullopt);
    } else {
      EXPECT_EQ(b.source_id, on_editors);
      EXPECT_EQ(b.object_type, "group");
      EXPECT_EQ(b.object_id, editors);
      EXPECT_EQ(b.group_id, staff);
    }
  }
  // Leaving the group ends it.
  script.record(editors, "group", group_member_removed{group_id{editors}, user_id{ann}});
  project();
  EXPECT_TRUE(bindings(ann).empty());
  EXPECT_EQ(find_group(schema.conn(), editors)->member_count, 0);
}

// What a check of a group's access reads: the group's own assignments and grants, each
// naming it, and no more once they are revoked.
TEST_F(GroupProjection, AGroupsOwnBindingsAreItsAssignmentsAndGrants) {
  const auto of_editors = bindings_of_group(schema.conn(), editors);
  ASSERT_EQ(of_editors.size(), 1u);
  EXPECT_EQ(of_editors[0].source, "assignment");
  EXPECT_EQ(of_editors[0].source_id, assignment);
  EXPECT_EQ(of_editors[0].role, "tenant_admin");
  EXPECT_EQ(of_editors[0].tenant_id, child);
  EXPECT_EQ(of_editors[0].group_id, editors);
  const auto of_staff = bindings_of_group(schema.conn(), staff);
  ASSERT_EQ(of_staff.size(), 1u);
  EXPECT_EQ(of_staff[0].source_id, on_editors);
  EXPECT_EQ(of_staff[0].object_type, "group");
  EXPECT_EQ(of_staff[0].object_id, editors);
  EXPECT_EQ(of_staff[0].group_id, staff);
  EXPECT_TRUE(bindings_of_group(schema.conn(), "not-a-uuid").empty());
  script.record(assignment, "role_assignment",
                role_assignment_revoked{assignment_id{assignment}, "revoked"});
  project();
  EXPECT_TRUE(bindings_of_group(schema.conn(), editors).empty());
}

TEST_F(GroupProjection, ADeletedTenantHidesItsGroupsUntilRestored) {
  const std::string deletion = new_uuid_v7();
  script.remove(org, deletion, org);
  script.remove(child, deletion, org);
  project();
  EXPECT_EQ(find_group(schema.conn(), editors), std::nullopt);
  EXPECT_EQ(find_object_owner(schema.conn(), "group", editors), std::nullopt);
  EXPECT_TRUE(bindings(ann).empty());
  EXPECT_EQ(list_grants(schema.conn(), grant_filter{}).count, 1);  // the one on other
  script.restore(org, deletion);
  script.restore(child, deletion);
  project();
  EXPECT_TRUE(find_group(schema.conn(), editors));
  EXPECT_EQ(bindings(ann).size(), 1u);
}

TEST_F(GroupProjection, ChangedAndDeletedGroups) {
  script.record(editors, "group",
                group_updated{group_id{editors}, std::string("Writers"), std::nullopt,
                              std::string("writers")});
  project();
  EXPECT_EQ(find_group(schema.conn(), "editors"), std::nullopt);
  const auto g = find_group(schema.conn(), "writers");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->name, "Writers");
  EXPECT_EQ(g->description, "d");
  script.record(editors, "group", group_deleted{group_id{editors}});
  project();
  EXPECT_EQ(find_group(schema.conn(), editors), std::nullopt);
  EXPECT_TRUE(bindings(ann).empty());
  EXPECT_EQ(schema.count("SELECT count(*) FROM groups WHERE is_deleted"), 1);
}

TEST_F(GroupProjection, ObjectOwnersForTheGuard) {
  const auto group = find_object_owner(schema.conn(), "group", "editors");
  ASSERT_TRUE(group);
  EXPECT_EQ(group->id, editors);
  EXPECT_EQ(group->path, (std::vector<std::string>{org, child}));
  EXPECT_TRUE(find_object_owner(schema.conn(), "group", staff)->path.empty());
  EXPECT_EQ(find_object_owner(schema.conn(), "grant", on_editors)->path,
            (std::vector<std::string>{org, child}));
  EXPECT_EQ(find_object_owner(schema.conn(), "tenant", "child")->id, child);
  EXPECT_EQ(find_object_owner(schema.conn(), "grant", "not-an-id"), std::nullopt);
  EXPECT_EQ(find_object_owner(schema.conn(), "spaceship", editors), std::nullopt);
}

TEST_F(GroupProjection, GrantsAreListedByObjectPrincipalAndSubtree) {
  grant_filter f;
  EXPECT_EQ(list_grants(schema.conn(), f).count, 2);
  f.within = std::vector<std::string>{org};
  const auto in_org = list_grants(schema.conn(), f);
  ASSERT_EQ(in_org.count, 1);
  EXPECT_EQ(in_org.rows[0].id, on_editors);
  EXPECT_EQ(in_org.rows[0].tenant_id, child);
  f.within = std::vector<std::string>{};
  EXPECT_EQ(list_grants(schema.conn(), f).count, 0);
  f.within.reset();
  f.principal_id = bob;
  EXPECT_EQ(list_grants(schema.conn(), f).rows.at(0).id, on_other);
  f.principal_id.reset();
  f.object_type = "group";
  f.object_id = editors;
  EXPECT_EQ(list_grants(schema.conn(), f).count, 1);
  script.record(on_editors, "permission_grant",
                permission_revoked{grant_id{on_editors}, "revoked"});
  project();
  EXPECT_EQ(list_grants(schema.conn(), f).count, 0);
  f.include_revoked = true;
  EXPECT_TRUE(list_grants(schema.conn(), f).rows.at(0).is_revoked);
  EXPECT_TRUE(find_grant(schema.conn(), on_editors)->is_revoked);
  EXPECT_EQ(bindings(bob).size(), 1u);
}

}  // namespace
}  // namespace tenantry::testing
