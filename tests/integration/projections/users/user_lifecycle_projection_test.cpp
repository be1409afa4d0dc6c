// The user lifecycle in the users read model, against the real PostgreSQL: updates, the
// profile, deactivation, soft delete and restore, password changes (auth generation),
// the standing lookup authentication makes, and the list's organization and visibility
// filters.

#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/access/access_queries.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::testing {
namespace {

class UserLifecycleProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    ann = script.register_user("ann@example.com", "Ann", {"super_admin"});
    bob = script.register_user("bob@example.com", "Bob");
    cyd = script.register_user("cyd@example.com", "Cyd");
    org = script.create("Org");
    team = script.create("Team", org);
    other = script.create("Other");
    member(bob, team);
    member(cyd, other);
  }

  void member(const std::string& user, const std::string& tenant) {
    const std::string id = new_uuid_v7();
    script.record(id, "membership",
                  member_added{membership_id{id}, tenant_id{tenant}, user_id{user}, {"member"}});
  }
  void user_event(const std::string& id, event e) { script.record(id, "user", std::move(e)); }
  void project() {
    running_projector projector(log, schema.name());
    projector.await(script.last_offset());
  }
  user_row row(const std::string& ref) {
    auto r = find_user(schema.conn(), ref, true);
    EXPECT_TRUE(r) << ref;
    return r.value_or(user_row{});
  }

  schema_under_test schema;
  memory_event_log log;
  event_script script{log};
  std::string ann, bob, cyd, org, team, other;
};

TEST_F(UserLifecycleProjection, UpdatesAndProfileChangesReachTheRow) {
  user_event(bob,
             user_updated{user_id{bob}, "robert@example.com", "Robert", {"platform_operator"}});
  user_event(bob, user_profile_changed{user_id{bob},
                                       {"Bobby", "en-GB", "Europe/London", "+441234567890",
                                        "https://example.com/b.png", "Builder", "Fixes things."}});
  project();
  const user_row r = row(bob);
  EXPECT_EQ(r.email, "robert@example.com");
  EXPECT_EQ(r.name, "Robert");
  EXPECT_EQ(r.platform_roles, std::vector<std::string>{"platform_operator"});
  EXPECT_EQ(r.profile.display_name, "Bobby");
  EXPECT_EQ(r.profile.timezone, "Europe/London");
  EXPECT_EQ(r.profile.bio, "Fixes things.");
  EXPECT_EQ(r.version, 3);
  EXPECT_GT(r.updated_at, r.created_at);
  EXPECT_EQ(find_user(schema.conn(), "bob@example.com"), std::nullopt);
  EXPECT_EQ(find_user(schema.conn(), "ROBERT@example.com")->id, bob);
}

TEST_F(UserLifecycleProjection, RegistrationAndChangesInOneBatchApplyInOrder) {
  // The registration is buffered for a multi-row INSERT; the change after it must wait.
  const std::string dan = script.register_user("dan@example.com", "Dan");
  user_event(dan, user_updated{user_id{dan}, "dan@example.org", "Daniel", {}});
  user_event(dan, user_deactivated{user_id{dan}, "left"});
  project();
  EXPECT_EQ(row(dan).email, "dan@example.org");
  EXPECT_FALSE(row(dan).is_active);
}

TEST_F(UserLifecycleProjection, StandingFollowsActivationDeletionAndPasswords) {
  user_event(bob, user_deactivated{user_id{bob}, ""});
  user_event(cyd, user_deleted{user_id{cyd}});
  user_event(ann, user_password_changed{user_id{ann}, "$argon2id$new"});
  project();
  auto b = find_user_standing(schema.conn(), bob);
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->is_active);
  EXPECT_FALSE(b->is_deleted);
  EXPECT_EQ(b->auth_generation, 1);
  EXPECT_TRUE(find_user_standing(schema.conn(), cyd)->is_deleted);
  const auto a = find_user_standing(schema.conn(), ann);
  EXPECT_EQ(a->auth_generation, 1);
  EXPECT_TRUE(a->is_active);
  EXPECT_EQ(a->platform_roles, std::vector<std::string>{"super_admin"});
  EXPECT_EQ(find_user_standing(schema.conn(), "01900000-0000-7000-8000-000000000000"),
            std::nullopt);
  EXPECT_EQ(find_user_standing(schema.conn(), "not-a-uuid"), std::nullopt);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users WHERE users::text LIKE '%argon2%'"), 0);
}

TEST_F(UserLifecycleProjection, DeletedUsersAreHiddenUntilRestoredExactlyAsTheyWere) {
  user_event(bob, user_profile_changed{user_id{bob}, {"Bobby", "", "", "", "", "", ""}});
  project();
  const user_row before = row(bob);
  user_event(bob, user_deleted{user_id{bob}});
  project();
  EXPECT_EQ(find_user(schema.conn(), bob), std::nullopt);
  EXPECT_TRUE(row(bob).is_deleted);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users WHERE deleted_at IS NOT NULL"), 1);
  user_filter f;
  EXPECT_EQ(emails(list_users(schema.conn(), f)),
            (std::vector<std::string>{"ann@example.com", "cyd@example.com"}));
  f.include_deleted = true;
  EXPECT_EQ(list_users(schema.conn(), f).count, 3);
  // Its membership is hidden with it.
  EXPECT_EQ(list_members(schema.conn(), team, "", 1, 20).count, 0);
  EXPECT_EQ(find_member(schema.conn(), team, bob), std::nullopt);

  user_event(bob, user_restored{user_id{bob}});
  project();
  user_row after = row(bob);
  EXPECT_FALSE(after.is_deleted);
  EXPECT_EQ(after.profile, before.profile);
  EXPECT_EQ(after.email, before.email);
  EXPECT_EQ(after.version, before.version + 2);
  EXPECT_EQ(list_members(schema.conn(), team, "", 1, 20).count, 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users WHERE deleted_at IS NOT NULL"), 0);
}

TEST_F(UserLifecycleProjection, UsersEpochMovesWithChangesOfUsersOnly) {
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const std::int64_t start = projector.get().users_epoch();
  script.create("Quiet");  // a tenant: what authentication remembered stays good
  projector.await(script.last_offset());
  EXPECT_EQ(projector.get().users_epoch(), start);
  user_event(bob, user_deactivated{user_id{bob}, ""});
  projector.await(script.last_offset());
  EXPECT_GT(projector.get().users_epoch(), start);
}

TEST_F(UserLifecycleProjection, ListFiltersByOrganizationAndByWhatTheCallerMaySee) {
  project();
  user_filter f;
  f.organization = team;
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"bob@example.com"});
  f.organization = org;  // its whole subtree: Bob is a member of Team, below it
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"bob@example.com"});
  f.organization = other;
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"cyd@example.com"});
  f.organization.reset();
  // A caller reading the members of Org (and so of Team below it) sees Bob and itself.
  f.visible_self = ann;
  f.visible_roots = {org};
  EXPECT_EQ(emails(list_users(schema.conn(), f)),
            (std::vector<std::string>{"ann@example.com", "bob@example.com"}));
  f.visible_roots = {};
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"ann@example.com"});
  f.visible_roots = {org, other};
  f.search = "cyd";
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"cyd@example.com"});
}

// An organization's users are the members of its subtree, each once, whatever its depth;
// not those of deleted descendants, removed memberships or deleted users.
TEST_F(UserLifecycleProjection, AnOrganizationsUsersAreTheLiveMembersOfItsSubtree) {
  const std::string deep = script.create("Deep", team);
  const std::string gone = script.create("Gone", org);
  const std::string dan = script.register_user("dan@example.com", "Dan");
  const std::string eve = script.register_user("eve@example.com", "Eve");
  const std::string fay = script.register_user("fay@example.com", "Fay");
  member(bob, org);  // Bob twice in the subtree: listed once
  member(cyd, deep);
  member(dan, gone);
  member(eve, deep);
  member(fay, org);
  script.remove(gone, "d1", gone);
  user_event(eve, user_deleted{user_id{eve}});
  const std::string removed = new_uuid_v7();
  script.record(removed, "membership",
                member_added{membership_id{removed}, tenant_id{deep}, user_id{ann}, {"member"}});
  script.record(removed, "membership", member_removed{membership_id{removed}});
  project();
  user_filter f;
  f.organization = org;
  const user_page page = list_users(schema.conn(), f);
  EXPECT_EQ(page.count, 3);
  EXPECT_EQ(emails(page),
            (std::vector<std::string>{"bob@example.com", "cyd@example.com", "fay@example.com"}));
  f.organization = team;
  EXPECT_EQ(emails(list_users(schema.conn(), f)),
            (std::vector<std::string>{"bob@example.com", "cyd@example.com"}));
  f.search = "fay";  // the other filters still apply
  f.organization = org;
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"fay@example.com"});
  f.search.clear();
  f.page_size = 2;
  f.page = 2;
  EXPECT_EQ(emails(list_users(schema.conn(), f)), std::vector<std::string>{"fay@example.com"});
  // Gone's restore brings its member back into the organization's users.
  script.restore(gone, "d1");
  project();
  f.page = 1;
  f.page_size = 20;
  EXPECT_EQ(list_users(schema.conn(), f).count, 4);
}

}  // namespace
}  // namespace tenantry::testing
