// Who may change which user, as the writer judges it on its own state: the self rule,
// platform-role ranks, and callers that were deleted, deactivated or changed their
// password after their token was issued.

#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

class UserPolicy : public aggregate_test {
 protected:
  std::string root, admin, plain, other;

  void SetUp() override {
    root = registered("root@example.com", {"super_admin"});
    admin = registered("admin@example.com", {"platform_admin"});
    plain = registered("plain@example.com");
    other = registered("other@example.com");
  }

  std::string registered(const std::string& email, std::vector<std::string> roles = {}) {
    return std::get<user_registered>(accept(register_user{email, "", "h", roles}).at(0)).id.value;
  }

  // The check the self_or_platform guard sends with a command on user `ref`.
  result<void> as(const std::string& caller, const command& cmd, const std::string& ref,
                  std::optional<std::int64_t> generation = std::nullopt) {
    const user_state* u = model.users.find(user_id{caller});
    command_authorization a{caller, u->platform_roles, std::string(manage_users), std::nullopt};
    a.self_ref = ref;
    a.auth_generation = generation;
    return model.authorize({a}, cmd, ctx.now);
  }
};

TEST_F(UserPolicy, AUserMayRenameItselfButNotOthers) {
  EXPECT_TRUE(as(plain, update_user{plain, std::nullopt, "Me"}, plain));
  EXPECT_TRUE(as(plain, update_user{"plain@example.com", std::nullopt, "Me"}, "PLAIN@example.com"));
  EXPECT_ERROR(as(plain, update_user{other, std::nullopt, "You"}, other), "permission_denied");
  change_user_profile profile{plain};
  profile.bio = "hi";
  EXPECT_TRUE(as(plain, profile, plain));
  EXPECT_TRUE(as(plain, change_password{plain, "h2"}, plain));
}

TEST_F(UserPolicy, ItsOwnEmailAndPlatformRolesNeedThePlatformPermission) {
  EXPECT_ERROR(as(plain, update_user{plain, "new@example.com"}, plain), "permission_denied");
  EXPECT_ERROR(
      as(plain,
         update_user{plain, std::nullopt, std::nullopt, std::vector<std::string>{"super_admin"}},
         plain),
      "permission_denied");
  // Sending what it already has changes nothing and is fine.
  EXPECT_TRUE(as(plain,
                 update_user{plain, "Plain@Example.com", std::nullopt, std::vector<std::string>{}},
                 plain));
}

TEST_F(UserPolicy, AdminsManageUsersTheirRankCovers) {
  EXPECT_TRUE(as(admin, update_user{plain, "p2@example.com"}, plain));
  EXPECT_TRUE(as(
      admin,
      update_user{plain, std::nullopt, std::nullopt, std::vector<std::string>{"platform_operator"}},
      plain));
  EXPECT_ERROR(
      as(admin,
         update_user{plain, std::nullopt, std::nullopt, std::vector<std::string>{"super_admin"}},
         plain),
      "permission_denied");
  EXPECT_ERROR(as(admin, delete_user{root}, root), "permission_denied");
  EXPECT_ERROR(as(admin, change_password{root, "h2"}, root), "permission_denied");
  EXPECT_TRUE(as(root, change_password{admin, "h2"}, admin));
  EXPECT_TRUE(
      as(root, update_user{admin, std::nullopt, std::nullopt, std::vector<std::string>{}}, admin));
}

TEST_F(UserPolicy, ADeletedOrDeactivatedCallerIsUnauthenticated) {
  accept(delete_user{plain});
  EXPECT_ERROR(as(plain, update_user{plain, std::nullopt, "Me"}, plain), "unauthenticated");
  accept(change_user_activation{admin, false, ""});
  EXPECT_ERROR(as(admin, delete_user{other}, other), "unauthenticated");
}

TEST_F(UserPolicy, ATokenOlderThanThePasswordIsUnauthenticated) {
  accept(change_password{other, "h2"});
  EXPECT_ERROR(as(other, update_user{other, std::nullopt, "x"}, other, 0), "unauthenticated");
  EXPECT_TRUE(as(other, update_user{other, std::nullopt, "x"}, other, 1));
}

TEST_F(UserPolicy, PlatformRolesTakenAwayNoLongerCount) {
  accept(update_user{admin, std::nullopt, std::nullopt, std::vector<std::string>{}});
  // The token still says platform_admin; the write model knows better.
  command_authorization stale{admin, {"platform_admin"}, std::string(manage_users), std::nullopt};
  EXPECT_ERROR(model.authorize({stale}, delete_user{plain}, ctx.now), "permission_denied");
}

TEST_F(UserPolicy, ACallerTheDirectoryDoesNotKnowIsJudgedAsItComes) {
  command_authorization system{"system", {"super_admin"}, std::string(manage_users), std::nullopt};
  EXPECT_TRUE(model.authorize({system}, delete_user{plain}, ctx.now));
}

// Default deny: a command that reaches the writer without the facts its route checked is
// refused, unless it is of a kind that has no signed-in caller (a login, a refresh,
// answering an invitation with its token).
TEST_F(UserPolicy, ACommandWithoutAuthorizationFactsIsRefusedUnlessItHasNoCaller) {
  for (const command& signed_in :
       {command{delete_user{plain}}, command{update_user{plain, std::nullopt, "x"}},
        command{register_user{"new@example.com", "", "h", {}}},
        command{answer_invitation{"some-invitation", invitation_reply::accept, user_id{plain},
                                  std::nullopt, std::nullopt}}}) {
    auto refused = model.authorize({}, signed_in, ctx.now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "permission_denied");
    EXPECT_EQ(refused.error().details["reason"], "no_authorization");
  }
  for (const command& anonymous :
       {command{lookup_credentials{"plain@example.com"}},
        command{start_session{user_id{plain}, "hash", ctx.now + std::chrono::hours(1)}},
        command{refresh_session{"old", "new", ctx.now + std::chrono::hours(1)}},
        command{check_invitation_token{"some-invitation", "hash"}},
        command{answer_invitation{"some-invitation", invitation_reply::accept, std::nullopt,
                                  std::string("hash"), std::nullopt}}})
    EXPECT_TRUE(model.authorize({}, anonymous, ctx.now));
}

}  // namespace
}  // namespace tenantry::testing
