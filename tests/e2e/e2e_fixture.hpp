#pragma once
// One tenantryd per test suite (start-up costs a topic, a schema and a replay), with the
// bootstrap admin's token at hand, and the steps most tests begin with: tenants and users
// created as admin, waits until reads see a change, and the parts of an error answer.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <memory>

#include <pqxx/nontransaction>

#include "events/kafka/kafka_event_log.hpp"
#include "http_client.hpp"
#include "projections/migrations.hpp"
#include "server_process.hpp"
#include "test_env.hpp"

namespace tenantry::testing {

class e2e_test : public ::testing::Test {
 protected:
  // A user the admin created, signed in.
  struct account {
    std::string id, email, token;
  };

  static void TearDownTestSuite() { server.reset(); }

  // tenantryd starts with the suite's first test rather than in SetUpTestSuite: gtest
  // skips every test of a suite whose SetUpTestSuite failed, and a skipped test is not a
  // failed one; a server that does not start must fail each test instead.
  void SetUp() override {
    if (!server) {
      server = std::make_unique<server_process>();
      server->start();
      if (HasFatalFailure()) {
        server.reset();
        return;
      }
      after_start();
    }
    admin = login(server_process::admin_email, server_process::admin_password);
    ASSERT_FALSE(admin.empty());
  }

  // What a suite waits for once its tenantryd is ready, before its first test.
  virtual void after_start() {}

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
    return made(client().post("/v1/tenants", body, admin));
  }

  // Creates a user as admin (a unique email from `prefix`), waits until reads see it and
  // signs it in.
  account make_user(const std::string& prefix) {
    const std::string email = unique(prefix) + "@example.com";
    const std::string password = "password-of-" + prefix;
    auto r = client().post("/v1/users", {{"email", email}, {"password", password}}, admin);
    const nlohmann::json user = made(r);
    return {user.value("id", ""), email, login(email, password)};
  }

  // Expects `status`, waits until reads see the change and returns the answer's body.
  nlohmann::json made(const http_answer& r, unsigned status = 201) const {
    EXPECT_EQ(r.status, status) << r.body;
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

  // The single number `sql` selects from the read models and the archive of this server,
  // straight from PostgreSQL.
  std::int64_t count(const std::string& sql) const {
    pqxx::connection conn(database_url());
    auto used = use_schema(conn, server->schema());
    EXPECT_TRUE(used) << used.error().message;
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }

  // Reads this server's whole event log, headers (the answers kept for retries) included,
  // expecting `text` in none of it; returns how many records it read.
  int log_records_free_of(const std::string& text) const {
    kafka_config config;
    config.brokers = kafka_brokers();
    config.topic = server->topic();
    auto log = kafka_event_log::open(config, /*with_producer=*/false);
    EXPECT_TRUE(log) << log.error().message;
    if (!log) return 0;
    int records = 0;
    auto replayed = (*log)->replay([&](const stored_event& e) {
      ++records;
      EXPECT_EQ(e.data.find(text), std::string::npos) << e.type;
      EXPECT_EQ(e.meta.response.value_or("").find(text), std::string::npos) << e.type;
    });
    EXPECT_TRUE(replayed) << replayed.error().message;
    return records;
  }

  static std::string unique(const std::string& prefix) { return unique_name(prefix); }
  static std::string id(const nlohmann::json& j) { return j["id"].get<std::string>(); }
  static std::string lowercase(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  // The `error` of an error answer, or "" when the body is not one.
  static std::string error_of(const http_answer& r) {
    const auto body = r.json();
    return body.is_object() && body.contains("error") && body["error"].is_string()
               ? body["error"].get<std::string>()
               : std::string();
  }
  // One of an error answer's details, or "" when it has none of that name.
  static std::string detail(const http_answer& r, const std::string& name) {
    const auto body = r.json();
    return body.is_object() && body.contains("details") ? body["details"].value(name, "") : "";
  }
  // The kind of thing a 404 did not find.
  static std::string resource(const http_answer& r) { return detail(r, "resource"); }

  static inline std::unique_ptr<server_process> server;
  std::string admin;
};

}  // namespace tenantry::testing
