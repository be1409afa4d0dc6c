// The rate limits of api.md over HTTP, with small limits so the test stays quick.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

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

TEST(RateLimits, AnApiTokenHasABudgetOfItsOwn) {
  server_process server;
  server.start(
      {{"TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN", "4"}, {"TENANTRY_RATE_LIMIT_WRITES_PER_MIN", "0"}});
  http_client c(server.port());
  auto login = c.post("/v1/auth/token", {{"username", server_process::admin_email},
                                         {"password", server_process::admin_password}});
  ASSERT_EQ(login.status, 200u);
  const std::string admin = login.json()["access"];
  auto org = c.post("/v1/tenants", {{"name", "Budget"}}, admin);  // admin: request 1
  ASSERT_EQ(org.status, 201u) << org.body;
  const std::string tenant = org.json()["id"];
  auto issued = c.post("/v1/tenants/" + tenant + "/tokens",  // admin: request 2
                       {{"name", "ci"}, {"scopes", {"tenant.read"}}}, admin);
  ASSERT_EQ(issued.status, 201u) << issued.body;
  const std::string token = issued.json()["secret"];
  const std::map<std::string, std::string> fresh{
      {"X-Consistency-Token", issued.header("X-Consistency-Token")}};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(c.get("/v1/tenants/" + tenant, token, fresh).status, 200u);
  EXPECT_EQ(c.get("/v1/tenants/" + tenant, token, fresh).status, 429u);
  // Its creator's budget is its own: 2 of 4 used.
  EXPECT_EQ(c.get("/v1/tenants/" + tenant, admin).status, 200u);
}

// The limits follow the route a request is matched to: `//v1/tenants`, which the router used
// to match, was served without any limit. Every other spelling of a path is refused now.
TEST(RateLimits, NoSpellingOfAPathEscapesTheLimits) {
  server_process server;
  server.start({{"TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN", "3"}});
  http_client c(server.port());
  for (const char* spelling : {"//v1/tenants", "/v1//tenants", "/v1/tenants/", "/v1/./tenants",
                               "/v1/x/../tenants", "/v1/%2e%2e/v1/tenants", "/v1/tenants%2Fx"}) {
    auto r = c.get(spelling);
    EXPECT_EQ(r.status, 400u) << spelling << ": " << r.body;
    EXPECT_EQ(r.json()["error"], "bad_request") << spelling;
  }
  // The refusals counted nothing; three anonymous reads do, and the fourth is limited.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get("/v1/tenants").status, 401u);
  EXPECT_EQ(c.get("/v1/tenants").status, 429u);
  EXPECT_EQ(c.get("//v1/tenants").status, 400u);
}

const nlohmann::json admin_with(const std::string& password) {
  return {{"username", server_process::admin_email}, {"password", password}};
}

// Strangers' wrong passwords block each stranger's address for that account, and only
// delay the account itself: its owner, from elsewhere, still signs in.
TEST(RateLimits, FailedLoginsBlockTheAddressNotTheAccount) {
  server_process server;
  server.start({{"TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", "2"}});
  // 8 failures in all, 2 from each of four addresses: more than the account's old limit.
  for (const char* from : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
    http_client stranger(server.port(), from);
    EXPECT_EQ(stranger.post("/v1/auth/token", admin_with("wrong one")).status, 401u) << from;
    EXPECT_EQ(stranger.post("/v1/auth/token", admin_with("wrong two")).status, 401u) << from;
    // That address is done with this account, even with the right password.
    auto blocked = stranger.post("/v1/auth/token", admin_with(server_process::admin_password));
    EXPECT_EQ(blocked.status, 429u) << from;
    EXPECT_EQ(blocked.json()["error"], "rate_limited");
  }
  http_client owner(server.port(), "127.0.0.9");
  auto in = owner.post("/v1/auth/token", admin_with(server_process::admin_password));
  EXPECT_EQ(in.status, 200u) << in.body;
  // A right password is given back: the owner's own budget is whole again.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(owner.post("/v1/auth/token", admin_with(server_process::admin_password)).status,
              200u);
}

// Each try is counted before its password is verified: of many parallel wrong tries from
// one address, only the limit's worth are verified, the rest are 429 at once.
TEST(RateLimits, ParallelAttemptsCannotAllPassTheCheckFirst) {
  server_process server;
  server.start({{"TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", "3"}});
  http_client c(server.port(), "127.0.0.7");
  std::vector<unsigned> statuses(12);
  std::vector<std::thread> tries;
  for (std::size_t i = 0; i < statuses.size(); ++i)
    tries.emplace_back([&, i] {
      statuses[i] = c.post("/v1/auth/token", admin_with("guess " + std::to_string(i))).status;
    });
  for (auto& t : tries) t.join();
  EXPECT_EQ(std::ranges::count(statuses, 401u), 3);
  EXPECT_EQ(std::ranges::count(statuses, 429u), 9);
}

}  // namespace
}  // namespace tenantry::testing
