#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using RegisterUser = aggregate_test;
using RefreshSession = aggregate_test;

TEST_F(RegisterUser, NormalizesEmailAndRejectsDuplicates) {
  auto events = accept(register_user{"Ada@Example.COM", "Ada", "hash", {"super_admin"}});
  EXPECT_EQ(std::get<user_registered>(events.at(0)).email, "ada@example.com");
  EXPECT_ERROR(when(register_user{"ada@example.com", "Ada", "hash", {}}), "email_taken");
}

TEST_F(RegisterUser, RejectsUnknownPlatformRoleAndBadEmail) {
  EXPECT_ERROR(when(register_user{"a@b.c", "", "h", {"emperor"}}), "validation_error");
  EXPECT_ERROR(when(register_user{"not-an-email", "", "h", {}}), "validation_error");
}

TEST_F(RegisterUser, BootstrapOnlyWhenNoUserExists) {
  register_user bootstrap{"root@example.com", "", "h", {"super_admin"}, true};
  EXPECT_EQ(accept(bootstrap).size(), 1u);
  bootstrap.email = "other@example.com";
  EXPECT_TRUE(accept(bootstrap).empty());
}

TEST_F(RefreshSession, RotatesTheCurrentToken) {
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h", {}}).at(0)).id;
  accept(start_session{user, "t1", later});
  auto r = accept(refresh_session{"t1", "t2", later});
  EXPECT_EQ(std::get<session_refreshed>(r.at(0)).token_hash, "t2");
}

TEST_F(RefreshSession, ReuseOfRotatedTokenRevokesTheFamily) {
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h", {}}).at(0)).id;
  accept(start_session{user, "t1", later});
  accept(refresh_session{"t1", "t2", later});
  auto reuse = accept(refresh_session{"t1", "t3", later});
  ASSERT_EQ(reuse.size(), 1u);
  EXPECT_EQ(std::get<session_revoked>(reuse[0]).reason, "reuse_detected");
  EXPECT_ERROR(when(refresh_session{"t2", "t4", later}), "unauthenticated");
}

TEST_F(RefreshSession, RejectsUnknownAndExpiredTokens) {
  EXPECT_ERROR(when(refresh_session{"nope", "t", later}), "unauthenticated");
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h", {}}).at(0)).id;
  accept(start_session{user, "t1", ctx.now - std::chrono::seconds(1)});
  EXPECT_ERROR(when(refresh_session{"t1", "t2", later}), "unauthenticated");
}

// However often a family is refreshed, it ends its absolute lifetime after its login; no
// refresh is given a later expiry than that.
TEST_F(RefreshSession, AFamilyEndsItsLifetimeAfterItsLogin) {
  using namespace std::chrono_literals;
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h", {}}).at(0)).id;
  const timestamp login = ctx.now;
  accept(start_session{user, "t1", login + 24h});
  ctx.now += 20h;
  auto r = accept(refresh_session{"t1", "t2", ctx.now + 24h, 30h});
  EXPECT_EQ(std::get<session_refreshed>(r.at(0)).expires_at, login + 30h);
  ctx.now = login + 29h;
  accept(refresh_session{"t2", "t3", ctx.now + 24h, 30h});
  ctx.now = login + 30h;
  EXPECT_ERROR(when(refresh_session{"t3", "t4", ctx.now + 24h, 30h}), "unauthenticated");
}

// A weaker hash is replaced after a login proved the password, without ending any access
// (the auth generation stays); a hash that changed meanwhile is left alone.
TEST_F(RefreshSession, AnUpgradedHashKeepsEveryoneSignedIn) {
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h1", {}}).at(0)).id;
  const std::int64_t generation = model.users.find(user)->auth_generation;
  auto upgraded = accept(upgrade_password_hash{user, "h1", "h2"});
  ASSERT_EQ(upgraded.size(), 1u);
  EXPECT_EQ(std::get<user_password_rehashed>(upgraded[0]).password_hash, "h2");
  EXPECT_EQ(model.users.find(user)->password_hash, "h2");
  EXPECT_EQ(model.users.find(user)->auth_generation, generation);
  EXPECT_TRUE(accept(upgrade_password_hash{user, "h1", "h3"}).empty());  // stale: h2 now
  EXPECT_EQ(model.users.find(user)->password_hash, "h2");
}

// Ended sessions are forgotten with every refresh-token hash they had (memory stays
// bounded); their tokens are refused exactly as before, and live sessions stay.
TEST_F(RefreshSession, EndedSessionsAreForgottenWithTheirTokens) {
  using namespace std::chrono_literals;
  auto user = std::get<user_registered>(accept(register_user{"a@b.c", "", "h", {}}).at(0)).id;
  accept(start_session{user, "short-1", ctx.now + 1h});
  accept(refresh_session{"short-1", "short-2", ctx.now + 1h});
  accept(start_session{user, "long-1", ctx.now + 10h});
  accept(start_session{user, "revoked-1", ctx.now + 10h});
  accept(refresh_session{"revoked-1", "revoked-2", ctx.now + 10h});
  accept(refresh_session{"revoked-1", "revoked-3", ctx.now + 10h});  // reuse: revoked
  ctx.now += 2h;
  EXPECT_EQ(model.users.forget_sessions_ended_by(ctx.now), 2u);
  EXPECT_EQ(model.users.session_count(), 1u);
  for (const char* gone : {"short-1", "short-2", "revoked-1", "revoked-2"}) {
    EXPECT_EQ(model.users.session_by_token(gone), nullptr) << gone;
    EXPECT_ERROR(when(refresh_session{gone, "next", ctx.now + 1h}), "unauthenticated");
  }
  EXPECT_TRUE(when(refresh_session{"long-1", "long-2", ctx.now + 1h}));
  EXPECT_EQ(model.users.live_sessions(user, ctx.now).size(), 1u);
}

}  // namespace
}  // namespace tenantry::testing
