#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using RegisterUser = aggregate_test;
using RefreshSession = aggregate_test;

const timestamp later{std::chrono::milliseconds{1'800'000'000'000}};

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

}  // namespace
}  // namespace tenantry::testing
