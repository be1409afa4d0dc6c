#pragma once
// One tenantryd per test suite (start-up costs a topic, a schema and a replay), with the
// bootstrap admin's token at hand.

#include <gtest/gtest.h>

#include <memory>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_env.hpp"

namespace tenantry::testing {

class e2e_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<server_process>();
    server->start();
  }
  static void TearDownTestSuite() { server.reset(); }

  void SetUp() override {
    ASSERT_TRUE(server) << "tenantryd did not start";
    admin = login(server_process::admin_email, server_process::admin_password);
    ASSERT_FALSE(admin.empty());
  }

  http_client client() const { return http_client(server->port()); }

  std::string login(const std::string& email, const std::string& password) const {
    auto r = client().post("/v1/auth/token", {{"username", email}, {"password", password}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.status == 200 ? r.json()["access"].get<std::string>() : std::string();
  }

  // Creates a tenant as admin and waits until reads see it; returns its representation.
  nlohmann::json create_tenant(const std::string& name, const std::string& parent = "",
                               const std::string& slug = "") {
    nlohmann::json body{{"name", name}};
    if (!parent.empty()) body["parent"] = parent;
    if (!slug.empty()) body["slug"] = slug;
    auto r = client().post("/v1/tenants", body, admin);
    EXPECT_EQ(r.status, 201u) << r.body;
    settle(r);
    return r.json();
  }

  // Waits until the read models include the change that answered `r`.
  void settle(const http_answer& r) const {
    const std::string token = r.header("X-Consistency-Token");
    if (token.empty()) return;
    auto seen = client().get("/v1/tenants?page_size=1", admin, {{"X-Consistency-Token", token}});
    EXPECT_EQ(seen.status, 200u) << seen.body;
  }

  static std::string unique(const std::string& prefix) { return unique_name(prefix); }

  static inline std::unique_ptr<server_process> server;
  std::string admin;
};

}  // namespace tenantry::testing
