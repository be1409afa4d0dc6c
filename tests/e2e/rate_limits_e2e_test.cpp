// The rate limits of api.md over HTTP, with small limits so the test stays quick.

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"

namespace tenantry::testing {
namespace {

TEST(RateLimits, RequestsWritesAndFailedLoginsAnswer429WithRetryAfter) {
  server_process server;
  server.start({{"TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN", "8"},
                {"TENANTRY_RATE_LIMIT_WRITES_PER_MIN", "2"},
                {"TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", "2"}});
  http_client c(server.port());

  // Failed logins: two per account, then 429 even with the right password.
  const nlohmann::json wrong{{"username", server_process::admin_email}, {"password", "nope"}};
  EXPECT_EQ(c.post("/v1/auth/token", wrong).status, 401u);
  EXPECT_EQ(c.post("/v1/auth/token", wrong).status, 401u);
  auto locked = c.post("/v1/auth/token", {{"username", server_process::admin_email},
                                          {"password", server_process::admin_password}});
  EXPECT_EQ(locked.status, 429u);
  EXPECT_EQ(locked.json()["error"], "rate_limited");
  EXPECT_FALSE(locked.header("Retry-After").empty());
}

TEST(RateLimits, WritesAndRequestsPerPrincipal) {
  server_process server;
  server.start(
      {{"TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN", "6"}, {"TENANTRY_RATE_LIMIT_WRITES_PER_MIN", "2"}});
  http_client c(server.port());
  auto login = c.post("/v1/auth/token", {{"username", server_process::admin_email},
                                         {"password", server_process::admin_password}});
  ASSERT_EQ(login.status, 200u);  // request 1 (by address)
  const std::string token = login.json()["access"];
  auto first = c.post("/v1/tenants", {{"name", "One"}}, token);  // user: request 1, write 1
  EXPECT_EQ(first.status, 201u);
  EXPECT_EQ(first.header("RateLimit-Limit"), "2");
  EXPECT_EQ(first.header("RateLimit-Remaining"), "1");
  EXPECT_EQ(c.post("/v1/tenants", {{"name", "Two"}}, token).status, 201u);
  auto third = c.post("/v1/tenants", {{"name", "Three"}}, token);
  EXPECT_EQ(third.status, 429u);
  EXPECT_FALSE(third.header("Retry-After").empty());
  // Reads have their own, larger budget: 6 per minute, 3 used by the writes above.
  EXPECT_EQ(c.get("/v1/tenants", token).status, 200u);
  EXPECT_EQ(c.get("/v1/tenants", token).status, 200u);
  EXPECT_EQ(c.get("/v1/tenants", token).status, 200u);
  EXPECT_EQ(c.get("/v1/tenants", token).status, 429u);
  // Operations endpoints are never limited.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.get("/healthz").status, 200u);
}

}  // namespace
}  // namespace tenantry::testing
