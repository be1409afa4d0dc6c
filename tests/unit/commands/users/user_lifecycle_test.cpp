// The user lifecycle's rules, given/when/then: updates, profile, activation, soft delete,
// restore and erasure, password changes, and what they do to sign-ins and sessions.

#include "events/privacy/personal_fields.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

class UserLifecycle : public aggregate_test {
 protected:
  std::string ann, bob;

  void SetUp() override {
    ann = registered("ann@example.com", {"super_admin"});
    bob = registered("bob@example.com");
  }

  std::string registered(const std::string& email, std::vector<std::string> roles = {}) {
    return std::get<user_registered>(
               accept(register_user{email, "", "hash-0", std::move(roles)}).at(0))
        .id.value;
  }
  const user_state& user(const std::string& id) const { return *model.users.find(user_id{id}); }
  // A session of the user, as a login starts one.
  std::string signed_in(const std::string& id, const std::string& token) {
    return std::get<session_started>(accept(start_session{user_id{id}, token, later}).at(0))
        .id.value;
  }
};

// ---- update ------------------------------------------------------------------------------

TEST_F(UserLifecycle, UpdateChangesWhatIsGivenAndNormalizesTheEmail) {
  auto e = accept(update_user{bob, "Robert@Example.COM", "Robert", std::nullopt, 1});
  const auto& updated = std::get<user_updated>(e.at(0));
  EXPECT_EQ(updated.email, "robert@example.com");
  EXPECT_EQ(updated.name, "Robert");
  EXPECT_EQ(user(bob).version, 2);
  EXPECT_EQ(model.users.resolve("robert@example.com")->id.value, bob);
  EXPECT_EQ(model.users.resolve("bob@example.com"), nullptr);  // the old email is free again
  registered("bob@example.com");
}

TEST_F(UserLifecycle, UpdateThatChangesNothingRecordsNothing) {
  EXPECT_TRUE(accept(update_user{bob, "BOB@example.com", "", std::vector<std::string>{}}).empty());
}

TEST_F(UserLifecycle, UpdateRefusesATakenEmailAStaleVersionAndBadFields) {
  EXPECT_ERROR(when(update_user{bob, "ann@example.com", std::nullopt, std::nullopt}),
               "email_taken");
  EXPECT_ERROR(when(update_user{bob, std::nullopt, "x", std::nullopt, 7}), "version_conflict");
  EXPECT_ERROR(when(update_user{bob, "not-an-email", std::nullopt, std::nullopt}),
               "validation_error");
  EXPECT_ERROR(when(update_user{bob, std::nullopt, std::string(201, 'n'), std::nullopt}),
               "validation_error");
  EXPECT_ERROR(when(update_user{bob, std::nullopt, std::nullopt, std::vector<std::string>{"king"}}),
               "validation_error");
  EXPECT_ERROR(when(update_user{"nobody@example.com", std::nullopt, "x", std::nullopt}),
               "not_found");
}

// A malformed change is 400 whatever version it names: the form is checked first.
TEST_F(UserLifecycle, AMalformedUpdateIsAValidationErrorEvenAtAStaleVersion) {
  EXPECT_ERROR(when(update_user{bob, "not-an-email", std::nullopt, std::nullopt, 7}),
               "validation_error");
  EXPECT_ERROR(when(update_user{bob, std::nullopt, std::string(201, 'n'), std::nullopt, 7}),
               "validation_error");
  EXPECT_ERROR(
      when(update_user{bob, std::nullopt, std::nullopt, std::vector<std::string>{"king"}, 7}),
      "validation_error");
}

TEST_F(UserLifecycle, TheLastActiveSuperAdminKeepsItsRole) {
  EXPECT_ERROR(when(update_user{ann, std::nullopt, std::nullopt, std::vector<std::string>{}}),
               "last_super_admin");
  accept(update_user{bob, std::nullopt, std::nullopt, std::vector<std::string>{"super_admin"}});
  accept(update_user{ann, std::nullopt, std::nullopt, std::vector<std::string>{}});
  EXPECT_TRUE(user(ann).platform_roles.empty());
}

// ---- profile -----------------------------------------------------------------------------

TEST_F(UserLifecycle, ProfilePatchKeepsAbsentFieldsAndClearsEmptyOnes) {
  change_user_profile first{bob};
  first.display_name = "Bobby";
  first.locale = "fr-CA";
  first.timezone = "America/Montreal";
  first.phone = "+15145550100";
  first.avatar_url = "https://cdn.example.com/bob.png";
  first.job_title = "Builder";
  first.bio = "Can we fix it?";
  accept(first);
  change_user_profile second{bob};
  second.locale = "";
  auto e = accept(second);
  const user_profile& p = std::get<user_profile_changed>(e.at(0)).profile;
  EXPECT_EQ(p.display_name, "Bobby");
  EXPECT_EQ(p.locale, "");
  EXPECT_EQ(p.timezone, "America/Montreal");
  EXPECT_EQ(user(bob).profile, p);
  EXPECT_TRUE(accept(second).empty());  // nothing left to change
}

TEST_F(UserLifecycle, ProfileFieldsAreValidated) {
  auto with = [&](auto field, std::string value) {
    change_user_profile c{bob};
    c.*field = std::move(value);
    return when(c);
  };
  using P = change_user_profile;
  EXPECT_ERROR(with(&P::locale, "english"), "validation_error");
  EXPECT_ERROR(with(&P::locale, "e"), "validation_error");
  EXPECT_ERROR(with(&P::timezone, "Paris"), "validation_error");
  EXPECT_ERROR(with(&P::timezone, "Europe//Paris"), "validation_error");
  EXPECT_ERROR(with(&P::phone, "0612345678"), "validation_error");
  EXPECT_ERROR(with(&P::phone, "+33 6 12"), "validation_error");
  EXPECT_ERROR(with(&P::avatar_url, "javascript:alert(1)"), "validation_error");
  EXPECT_ERROR(with(&P::avatar_url, "https://a b"), "validation_error");
  EXPECT_ERROR(with(&P::bio, std::string(2001, 'b')), "validation_error");
  EXPECT_ERROR(with(&P::display_name, std::string(201, 'd')), "validation_error");
  EXPECT_TRUE(with(&P::locale, "zh-Hant-TW").has_value());
  EXPECT_TRUE(with(&P::timezone, "UTC").has_value());
  EXPECT_TRUE(with(&P::timezone, "America/Argentina/Buenos_Aires").has_value());
  EXPECT_TRUE(with(&P::avatar_url, "http://example.com/a.png").has_value());
}

// ---- activation --------------------------------------------------------------------------

TEST_F(UserLifecycle, DeactivationRevokesLiveSessionsAndBlocksSignIn) {
  signed_in(bob, "t1");
  signed_in(bob, "t2");
  accept(refresh_session{"t2", "t3", later});
  auto e = accept(change_user_activation{bob, false, "left", 1});
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(std::get<user_deactivated>(e[0]).reason, "left");
  EXPECT_EQ(std::get<session_revoked>(e[1]).reason, "user_deactivated");
  EXPECT_EQ(std::get<session_revoked>(e[2]).reason, "user_deactivated");
  EXPECT_FALSE(user(bob).active);
  EXPECT_EQ(user(bob).auth_generation, 1);
  EXPECT_ERROR(when(start_session{user_id{bob}, "t4", later}), "unauthenticated");
  EXPECT_ERROR(when(refresh_session{"t3", "t5", later}), "unauthenticated");
  EXPECT_ERROR(when(change_user_activation{bob, false, ""}), "invalid_state_transition");
}

TEST_F(UserLifecycle, ActivationLetsTheUserSignInAgain) {
  accept(change_user_activation{bob, false, ""});
  auto e = accept(change_user_activation{bob, true, "back"});
  EXPECT_EQ(std::get<user_activated>(e.at(0)).reason, "back");
  EXPECT_TRUE(user(bob).active);
  EXPECT_EQ(user(bob).auth_generation, 1);  // tokens from before stay dead
  EXPECT_EQ(accept(start_session{user_id{bob}, "t1", later, 1}).size(), 1u);
  EXPECT_ERROR(when(change_user_activation{bob, true, ""}), "invalid_state_transition");
}

TEST_F(UserLifecycle, TheLastActiveSuperAdminCannotBeDeactivatedOrDeleted) {
  EXPECT_ERROR(when(change_user_activation{ann, false, ""}), "last_super_admin");
  EXPECT_ERROR(when(delete_user{ann}), "last_super_admin");
  const std::string cyd = registered("cyd@example.com", {"super_admin"});
  accept(change_user_activation{cyd, false, ""});  // an inactive super_admin does not count
  EXPECT_ERROR(when(delete_user{ann}), "last_super_admin");
  accept(change_user_activation{cyd, true, ""});
  EXPECT_EQ(accept(delete_user{ann}).size(), 1u);
}

// ---- delete and restore ------------------------------------------------------------------

TEST_F(UserLifecycle, DeletedUserIsGoneEverywhereButKeepsItsEmail) {
  signed_in(bob, "t1");
  auto e = accept(delete_user{bob, 1});
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(std::get<user_deleted>(e[0]).id.value, bob);
  EXPECT_EQ(std::get<session_revoked>(e[1]).reason, "user_deleted");
  EXPECT_EQ(model.users.resolve(bob), nullptr);
  EXPECT_EQ(model.users.resolve("bob@example.com"), nullptr);
  EXPECT_NE(model.users.resolve_any(bob), nullptr);
  EXPECT_ERROR(when(register_user{"BOB@example.com", "", "h", {}}), "email_taken");
  EXPECT_ERROR(when(update_user{ann, "bob@example.com", std::nullopt, std::nullopt}),
               "email_taken");
  EXPECT_ERROR(when(update_user{bob, std::nullopt, "x", std::nullopt}), "not_found");
  EXPECT_ERROR(when(delete_user{bob}), "not_found");
  EXPECT_ERROR(when(start_session{user_id{bob}, "t2", later}), "unauthenticated");
  EXPECT_ERROR(when(refresh_session{"t1", "t3", later}), "unauthenticated");
}

TEST_F(UserLifecycle, RestoreBringsTheUserBackAsItWas) {
  accept(update_user{bob, std::nullopt, "Bob", std::vector<std::string>{"platform_operator"}});
  change_user_profile p{bob};
  p.job_title = "Builder";
  accept(p);
  accept(change_user_activation{bob, false, ""});
  const user_state before = user(bob);
  accept(delete_user{bob});
  auto e = accept(restore_user{"bob@example.com", 5});
  EXPECT_EQ(std::get<user_restored>(e.at(0)).id.value, bob);
  const user_state& after = user(bob);
  EXPECT_EQ(after.name, before.name);
  EXPECT_EQ(after.platform_roles, before.platform_roles);
  EXPECT_EQ(after.profile, before.profile);
  EXPECT_EQ(after.active, before.active);
  EXPECT_FALSE(after.deleted);
  EXPECT_EQ(after.version, 6);
  EXPECT_ERROR(when(restore_user{bob}), "invalid_state_transition");
  EXPECT_ERROR(when(restore_user{"nobody@example.com"}), "not_found");
}

// ---- erasure -----------------------------------------------------------------------------

TEST_F(UserLifecycle, OnlyADeletedUserIsErasedAndOnlyOnce) {
  EXPECT_ERROR(when(erase_user{bob}), "user_not_deleted");
  accept(delete_user{bob});
  EXPECT_ERROR(when(erase_user{bob, 1}), "version_conflict");
  EXPECT_ERROR(when(erase_user{"nobody@example.com"}), "not_found");
  auto e = accept(erase_user{bob, 2});
  ASSERT_EQ(e.size(), 1u);
  const auto& erased = std::get<user_erased>(e[0]);
  EXPECT_EQ(erased.id.value, bob);
  EXPECT_EQ(erased.email, "bob@example.com");  // for the log's sealing, which blanks it
  EXPECT_ERROR(when(erase_user{bob}), "user_erased");
  EXPECT_ERROR(when(restore_user{bob}), "user_erased");
}

TEST_F(UserLifecycle, AnErasedUserKeepsNothingPersonalAndFreesItsAddress) {
  change_user_profile p{bob};
  p.bio = "Builds things";
  accept(p);
  accept(delete_user{bob});
  accept(erase_user{bob});
  const user_state& u = user(bob);
  EXPECT_TRUE(u.erased);
  EXPECT_EQ(u.email, "");
  EXPECT_EQ(u.name, erased_name);
  EXPECT_EQ(u.password_hash, "");
  EXPECT_EQ(u.profile, user_profile{});
  EXPECT_EQ(u.version, 4);  // its events still count
  EXPECT_EQ(model.users.resolve_any("bob@example.com"), nullptr);
  EXPECT_NE(registered("bob@example.com"), bob);  // a new person may take the address
}

TEST_F(UserLifecycle, ErasedUsersReplayedFromTheLogIndexNoAddress) {
  // Rebuilt after erasures, two registrations open with the address "": neither is found
  // by it, and neither's erasure frees the other's.
  accept(delete_user{bob});
  accept(erase_user{bob});
  given(
      {user_registered{user_id{"01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f71"}, "", "erased user", "", {}},
       user_registered{
           user_id{"01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f72"}, "", "erased user", "", {}}});
  EXPECT_EQ(model.users.resolve_any(""), nullptr);
  EXPECT_NE(model.users.resolve("ann@example.com"), nullptr);
}

// ---- password ----------------------------------------------------------------------------

TEST_F(UserLifecycle, PasswordChangeEndsEverySessionAndEarlierLogins) {
  signed_in(bob, "t1");
  auto e = accept(change_password{bob, "hash-1", "hash-0", 1});
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(std::get<user_password_changed>(e[0]).password_hash, "hash-1");
  EXPECT_EQ(std::get<session_revoked>(e[1]).reason, "password_changed");
  EXPECT_EQ(user(bob).password_hash, "hash-1");
  EXPECT_EQ(user(bob).auth_generation, 1);
  // A login whose password check saw generation 0 comes too late.
  EXPECT_ERROR(when(start_session{user_id{bob}, "t2", later, 0}), "unauthenticated");
  EXPECT_EQ(accept(start_session{user_id{bob}, "t2", later, 1}).size(), 1u);
}

TEST_F(UserLifecycle, PasswordChangeRefusesAPasswordThatChangedMeanwhile) {
  EXPECT_ERROR(when(change_password{bob, "hash-2", "hash-stale"}), "password_changed_concurrently");
  EXPECT_ERROR(when(change_password{bob, "", std::nullopt}), "validation_error");
  EXPECT_ERROR(when(change_password{bob, "hash-2", std::nullopt, 9}), "version_conflict");
  EXPECT_EQ(accept(change_password{bob, "hash-2", std::nullopt}).size(), 1u);  // an admin reset
}

TEST_F(UserLifecycle, ExpiredAndRevokedSessionsAreNotRevokedAgain) {
  accept(start_session{user_id{bob}, "old", ctx.now - std::chrono::seconds(1)});
  signed_in(bob, "t1");
  accept(refresh_session{"t1", "t2", later});
  accept(refresh_session{"t1", "t3", later});  // reuse: the family is revoked
  EXPECT_EQ(accept(delete_user{bob}).size(), 1u);
}

}  // namespace
}  // namespace tenantry::testing
