// Behind a proxy: only a trusted proxy's Forwarded / X-Forwarded-For name the client (for
// the per-address limits), and pagination links use TENANTRY_PUBLIC_URL, never Host.

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"

namespace tenantry::testing {
namespace {

const nlohmann::json wrong_login{{"username", server_process::admin_email},
                                 {"password", "not the password"}};

TEST(Proxies, OnlyATrustedProxyNamesTheClient) {
  server_process server;
  server.start({{"TENANTRY_TRUSTED_PROXIES", "127.0.0.1/32, ::1"},
                {"TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", "1"}});
  http_client proxy(server.port(), "127.0.0.1");
  auto via = [&](const std::string& header, const std::string& value) {
    return proxy.post("/v1/auth/token", wrong_login, "", {{header, value}}).status;
  };
  // Each client behind the trusted proxy has its own budget of one failure.
  EXPECT_EQ(via("X-Forwarded-For", "203.0.113.5"), 401u);
  EXPECT_EQ(via("X-Forwarded-For", "203.0.113.5"), 429u);
  EXPECT_EQ(via("X-Forwarded-For", "203.0.113.6"), 401u);
  // Right to left past trusted hops; the client cannot prepend its way out of its budget.
  EXPECT_EQ(via("X-Forwarded-For", "198.51.100.1, 203.0.113.5"), 429u);
  EXPECT_EQ(via("X-Forwarded-For", "203.0.113.5, 127.0.0.1"), 429u);
  EXPECT_EQ(via("Forwarded", "for=\"203.0.113.7:4711\";proto=https"), 401u);
  EXPECT_EQ(via("Forwarded", "for=203.0.113.7"), 429u);
  EXPECT_EQ(via("Forwarded", "for=\"[2001:db8::1]\""), 401u);

  // An untrusted peer's headers are ignored: it is one client, whatever it claims.
  http_client direct(server.port(), "127.0.0.2");
  EXPECT_EQ(
      direct.post("/v1/auth/token", wrong_login, "", {{"X-Forwarded-For", "192.0.2.1"}}).status,
      401u);
  EXPECT_EQ(
      direct.post("/v1/auth/token", wrong_login, "", {{"X-Forwarded-For", "192.0.2.2"}}).status,
      429u);
}

TEST(Proxies, PaginationLinksUseThePublicUrlNotTheHostHeader) {
  server_process server;
  server.start({{"TENANTRY_PUBLIC_URL", "https://tenants.example.com/"}});
  http_client c(server.port());
  auto login = c.post("/v1/auth/token", {{"username", server_process::admin_email},
                                         {"password", server_process::admin_password}});
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string token = login.json()["access"];
  std::string consistency;
  for (const char* name : {"First", "Second"}) {
    auto made = c.post("/v1/tenants", {{"name", name}}, token);
    ASSERT_EQ(made.status, 201u) << made.body;
    consistency = made.header("X-Consistency-Token");
  }
  auto page = c.get("/v1/tenants?page_size=1", token,
                    {{"Host", "evil.example.net"}, {"X-Consistency-Token", consistency}});
  ASSERT_EQ(page.status, 200u) << page.body;
  const std::string next = page.json()["next"];
  EXPECT_TRUE(next.starts_with("https://tenants.example.com/v1/tenants?")) << next;
  EXPECT_EQ(next.find("evil"), std::string::npos) << next;
}

}  // namespace
}  // namespace tenantry::testing
