// Login, refresh rotation, users and the platform-role gates over HTTP.

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using AuthAndUsers = e2e_test;

TEST_F(AuthAndUsers, WrongCredentialsLookTheSameForKnownAndUnknownUsers) {
  auto wrong = client().post("/v1/auth/token",
                             {{"username", server_process::admin_email}, {"password", "nope"}});
  auto unknown =
      client().post("/v1/auth/token", {{"username", "ghost@example.com"}, {"password", "nope"}});
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(wrong.json()["message"], unknown.json()["message"]);
}

TEST_F(AuthAndUsers, TokenAnswerHasTheContractShape) {
  auto r = client().post("/v1/auth/token", {{"username", server_process::admin_email},
                                            {"password", server_process::admin_password}});
  ASSERT_EQ(r.status, 200u);
  const auto j = r.json();
  EXPECT_EQ(j["token_type"], "Bearer");
  EXPECT_GT(j["expires_in"].get<int>(), 0);
  EXPECT_FALSE(j["refresh"].get<std::string>().empty());
  auto keys = client().get("/.well-known/jwks.json").json();
  EXPECT_EQ(keys["keys"][0]["kty"], "OKP");
}

TEST_F(AuthAndUsers, RefreshRotatesAndReuseRevokesTheFamily) {
  auto login = client().post("/v1/auth/token", {{"username", server_process::admin_email},
                                                {"password", server_process::admin_password}});
  const std::string first = login.json()["refresh"];
  auto rotated = client().post("/v1/auth/token/refresh", {{"refresh", first}});
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  const std::string second = rotated.json()["refresh"];
  EXPECT_NE(second, first);
  EXPECT_EQ(client().get("/v1/users/me", rotated.json()["access"]).status, 200u);
  auto reuse = client().post("/v1/auth/token/refresh", {{"refresh", first}});
  EXPECT_EQ(reuse.status, 401u);
  // The whole family is revoked: the newest token stops working too.
  EXPECT_EQ(client().post("/v1/auth/token/refresh", {{"refresh", second}}).status, 401u);
  EXPECT_EQ(client().post("/v1/auth/token/refresh", {{"refresh", "rt_garbage"}}).status, 401u);
}

TEST_F(AuthAndUsers, CreateUserNeverShowsThePassword) {
  const std::string email = unique("user") + "@example.com";
  auto r = client().post("/v1/users",
                         {{"email", email}, {"password", "correct horse"}, {"name", "U"}}, admin);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json()["email"], email);
  EXPECT_FALSE(r.json().contains("password"));
  EXPECT_FALSE(r.json().contains("password_hash"));
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);
  EXPECT_TRUE(r.json()["created_at"].get<std::string>().starts_with("20"));
  auto dup = client().post("/v1/users", {{"email", email}, {"password", "correct horse"}}, admin);
  EXPECT_EQ(dup.status, 409u);
  auto short_pw =
      client().post("/v1/users", {{"email", "a" + email}, {"password", "short"}}, admin);
  EXPECT_EQ(short_pw.status, 400u);
  auto bad_role = client().post(
      "/v1/users",
      {{"email", "b" + email}, {"password", "long enough for sure"}, {"platform_roles", {"king"}}},
      admin);
  EXPECT_EQ(bad_role.status, 400u);
  settle(r);
  auto found = client().get("/v1/users/" + email, admin);
  EXPECT_EQ(found.status, 200u);
  auto listed = client().get("/v1/users?search=" + email, admin).json();
  EXPECT_EQ(listed["count"], 1);
}

TEST_F(AuthAndUsers, UserWithoutPlatformRoleIsGated) {
  const std::string email = unique("plain") + "@example.com";
  auto created =
      client().post("/v1/users", {{"email", email}, {"password", "plain password"}}, admin);
  ASSERT_EQ(created.status, 201u);
  settle(created);
  const std::string token = login(email, "plain password");
  auto me = client().get("/v1/users/me", token);
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.json()["email"], email);
  auto t = create_tenant(unique("Gated"));
  EXPECT_EQ(client().post("/v1/tenants", {{"name", "mine"}}, token).status, 403u);
  // A tenant it may not read is hidden from it: 404, as if missing, for writes too.
  EXPECT_EQ(client()
                .post("/v1/tenants/" + t["slug"].get<std::string>() + "/suspend", nullptr, token)
                .status,
            404u);
  EXPECT_EQ(client().get("/v1/tenants/" + t["slug"].get<std::string>(), token).status, 404u);
  EXPECT_EQ(client().get("/v1/tenants", token).json()["count"], 0);
  EXPECT_EQ(client().get("/v1/tenants?include_deleted=true", token).status, 403u);
  EXPECT_EQ(client().get("/v1/users/" + std::string(server_process::admin_email), token).status,
            404u);
  auto self_only = client().get("/v1/users", token).json();
  EXPECT_EQ(self_only["count"], 1);
  auto escalate = client().post(
      "/v1/users", {{"email", "x" + email}, {"password", "long enough for sure"}}, token);
  EXPECT_EQ(escalate.status, 403u);
}

TEST_F(AuthAndUsers, OperatorMayRunLifecycleButNotChangeTenants) {
  const std::string email = unique("operator") + "@example.com";
  auto created = client().post("/v1/users",
                               {{"email", email},
                                {"password", "operator password"},
                                {"platform_roles", {"platform_operator"}}},
                               admin);
  ASSERT_EQ(created.status, 201u) << created.body;
  settle(created);
  const std::string token = login(email, "operator password");
  auto t = create_tenant(unique("Operated"));
  const std::string path = "/v1/tenants/" + t["slug"].get<std::string>();
  EXPECT_EQ(client().post(path + "/suspend", nullptr, token).status, 200u);
  EXPECT_EQ(client().patch(path, {{"name", "x"}}, token).status, 403u);
  EXPECT_EQ(client().del(path, token).status, 403u);
  EXPECT_EQ(client().get(path, token).status, 200u);
}

TEST_F(AuthAndUsers, HealthReadinessMetricsAndOpenApiNeedNoToken) {
  EXPECT_EQ(client().get("/healthz").status, 200u);
  EXPECT_EQ(client().get("/readyz").status, 200u);
  auto metrics = client().get("/metrics");
  EXPECT_NE(metrics.body.find("tenantry_writer_ready 1"), std::string::npos);
  auto doc = client().get("/v1/openapi.json");
  EXPECT_EQ(doc.status, 200u);
  EXPECT_TRUE(doc.json().contains("paths"));
}

// A password hashed with weaker argon2id parameters than the server's (an older setting)
// is hashed again at its next successful login, and only once; its sessions live on.
TEST(PasswordHashes, AWeakerHashIsUpgradedAtTheNextLogin) {
  server_process server;
  server.start();  // tests hash with the minimal parameters
  http_client c(server.port());
  const nlohmann::json admin{{"username", server_process::admin_email},
                             {"password", server_process::admin_password}};
  auto before = c.post("/v1/auth/token", admin);
  ASSERT_EQ(before.status, 200u) << before.body;
  const std::string refresh = before.json()["refresh"];
  ASSERT_EQ(server.terminate(), 0);
  server.start({{"TENANTRY_PASSWORD_HASHING", "interactive"}});
  const double tasks = metric(c, "tenantry_cpu_tasks_total");
  ASSERT_GE(tasks, 0);
  EXPECT_EQ(c.post("/v1/auth/token", admin).status, 200u);
  EXPECT_EQ(metric(c, "tenantry_cpu_tasks_total"), tasks + 2);  // verified, then hashed again
  EXPECT_EQ(c.post("/v1/auth/token", admin).status, 200u);
  EXPECT_EQ(metric(c, "tenantry_cpu_tasks_total"), tasks + 3);  // verified only
  // The earlier session was not ended by the upgrade.
  EXPECT_EQ(c.post("/v1/auth/token/refresh", {{"refresh", refresh}}).status, 200u);
}

}  // namespace
}  // namespace tenantry::testing
