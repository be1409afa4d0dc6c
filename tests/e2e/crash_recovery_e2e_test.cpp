// kill -9 tenantryd and restart it: every acknowledged change survives, and an idempotent
// retry is still recognised from the log.

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"

namespace tenantry::testing {
namespace {

std::string login(const http_client& c) {
  auto r = c.post("/v1/auth/token", {{"username", server_process::admin_email},
                                     {"password", server_process::admin_password}});
  EXPECT_EQ(r.status, 200u) << r.body;
  return r.json().value("access", "");
}

TEST(CrashRecovery, AcknowledgedChangesSurviveKillNine) {
  server_process server;
  server.start();
  http_client c(server.port());
  std::string token = login(c);

  struct acked {
    std::string key, body, id;
  };
  std::vector<acked> acknowledged;
  auto root = c.post("/v1/tenants", {{"name", "Crash Root"}}, token, {{"Idempotency-Key", "root"}});
  ASSERT_EQ(root.status, 201u);
  acknowledged.push_back({"root", root.body, root.json()["id"]});
  for (int i = 0; i < 30; ++i) {
    const std::string key = "k" + std::to_string(i);
    auto r =
        c.post("/v1/tenants", {{"name", "Child " + std::to_string(i)}, {"parent", "crash-root"}},
               token, {{"Idempotency-Key", key}});
    ASSERT_EQ(r.status, 201u) << r.body;
    acknowledged.push_back({key, r.body, r.json()["id"]});
  }
  auto suspended = c.post("/v1/tenants/crash-root/suspend", nullptr, token);
  ASSERT_EQ(suspended.status, 200u);

  server.kill_hard();
  server.start();
  token = login(c);  // the signing key, like everything else, survived

  for (const auto& a : acknowledged) {
    auto r = c.get("/v1/tenants/" + a.id, token);
    ASSERT_EQ(r.status, 200u) << a.id;
  }
  auto kids = c.get("/v1/tenants/crash-root/children?page_size=100", token).json();
  EXPECT_EQ(kids["count"], 30);
  EXPECT_EQ(c.get("/v1/tenants/crash-root", token).json()["status"], "suspended");

  // A retry after the restart is answered from the log, and appends nothing.
  auto retry = c.post("/v1/tenants", {{"name", "Child 7"}, {"parent", "crash-root"}}, token,
                      {{"Idempotency-Key", "k7"}});
  EXPECT_EQ(retry.status, 201u);
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(retry.body, acknowledged[8].body);
  auto after = c.get("/v1/tenants/crash-root/children?page_size=100", token,
                     {{"X-Consistency-Token", retry.header("X-Consistency-Token")}})
                   .json();
  EXPECT_EQ(after["count"], 30);
}

TEST(CrashRecovery, SigtermShutsDownCleanly) {
  server_process server;
  server.start();
  EXPECT_EQ(server.terminate(), 0);
}

}  // namespace
}  // namespace tenantry::testing
