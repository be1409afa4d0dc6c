#include "api/auth/password_hash.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

const password_hash_params fast = password_hash_params::minimal();

TEST(HashPassword, RoundTripsWithMinimalParams) {
  const auto hash = hash_password("correct horse battery staple", fast);
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password(*hash, "correct horse battery staple"));
}

TEST(HashPassword, RoundTripsWithInteractiveParams) {
  const auto hash = hash_password("s3cret!", password_hash_params::interactive());
  ASSERT_TRUE(hash);
  EXPECT_TRUE(verify_password(*hash, "s3cret!"));
  EXPECT_FALSE(password_needs_rehash(*hash, password_hash_params::interactive()));
  EXPECT_TRUE(password_needs_rehash(*hash, fast));
}

TEST(HashPassword, SaltsEveryHash) {
  EXPECT_NE(hash_password("same", fast).value(), hash_password("same", fast).value());
}

TEST(VerifyPassword, RejectsWrongPassword) {
  const auto hash = hash_password("right", fast).value();
  EXPECT_FALSE(verify_password(hash, "wrong"));
  EXPECT_FALSE(verify_password(hash, ""));
  EXPECT_FALSE(verify_password(hash, "right "));
}

TEST(VerifyPassword, HandlesPasswordsWithNulBytes) {
  const std::string password("a\0b", 3);
  const auto hash = hash_password(password, fast).value();
  EXPECT_TRUE(verify_password(hash, password));
  EXPECT_FALSE(verify_password(hash, "a"));
}

TEST(VerifyPassword, RejectsGarbageHashes) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$nonsense", "x"));
  EXPECT_FALSE(verify_password(std::string(500, 'a'), "x"));
  EXPECT_FALSE(verify_password(std::string("$argon2id\0", 10), "x"));
}

TEST(DummyPasswordHash, IsStableAndMatchesNothing) {
  const std::string& dummy = dummy_password_hash(fast);
  EXPECT_EQ(&dummy, &dummy_password_hash(fast));
  EXPECT_EQ(dummy.rfind("$argon2id$", 0), 0u);
  EXPECT_FALSE(verify_password(dummy, ""));
  EXPECT_FALSE(verify_password(dummy, "password"));
  EXPECT_FALSE(password_needs_rehash(dummy, fast));
}

}  // namespace
}  // namespace tenantry::api
