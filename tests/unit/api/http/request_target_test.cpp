#include "api/http/request_target.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

TEST(RequestTarget, TakesCanonicalPaths) {
  for (const char* path :
       {"/", "/healthz", "/v1/tenants", "/v1/tenants/acme-corp/children", "/v1/tenants/a%20b",
        "/.well-known/jwks.json", "/v1/users/x%40y.z", "/v1/tenants/...", "/v1/tenants/a.b"})
    EXPECT_TRUE(check_canonical_path(path)) << path;
}

TEST(RequestTarget, RefusesEveryOtherSpellingOfAPath) {
  for (const char* path :
       {"", "v1/tenants", "//v1/tenants", "/v1//tenants", "/v1/tenants/", "/v1/./tenants",
        "/v1/tenants/../users", "/v1/%2e/tenants", "/v1/%2E%2e/tenants", "/v1/.%2e/tenants",
        "/v1/tenants/a%2Fb", "/v1/tenants/a%2fb", "/v1/tenants/a%5Cb"}) {
    auto checked = check_canonical_path(path);
    ASSERT_FALSE(checked) << path;
    EXPECT_EQ(checked.error().code, "bad_request") << path;
    EXPECT_EQ(checked.error().category, errc::invalid_argument) << path;
  }
}

}  // namespace
}  // namespace tenantry::api
