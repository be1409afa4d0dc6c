// Crypto-shredding end to end (docs/privacy.md): the topic never holds an address, a name
// or a password hash in clear; an erased user leaves no trace in any read model, before or
// after a rebuild from the log; and nothing brings it back.

#include <cstdio>

#include <pqxx/pqxx>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

// The log as `kcat` shows it to any reader of the topic: every record's headers and value.
std::string kcat_topic(const std::string& topic) {
  const std::string command = "kcat -C -q -e -b '" + kafka_brokers() + "' -t '" + topic +
                              "' -X isolation.level=read_committed -f '%h\\n%s\\n' 2>&1";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << out;
  return out;
}

// Every "table.column" of `schema` whose text (text, varchar, json, arrays) holds `needle`.
std::vector<std::string> columns_holding(const std::string& schema, const std::string& needle) {
  pqxx::connection conn(database_url());
  pqxx::nontransaction tx(conn);
  std::vector<std::string> found;
  const pqxx::result columns = tx.exec_params(
      "SELECT table_name::text, column_name::text FROM information_schema.columns"
      " JOIN information_schema.tables USING (table_schema, table_name)"
      " WHERE table_schema = $1 AND table_type = 'BASE TABLE'"
      " AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')",
      schema);
  EXPECT_GT(columns.size(), 10u) << "no text columns in schema " << schema;
  for (const auto& c : columns) {
    const std::string table = conn.quote_name(schema) + "." + conn.quote_name(c[0].c_str());
    const std::string column = conn.quote_name(c[1].c_str());
    const auto hits = tx.exec_params1("SELECT count(*) FROM " + table + " WHERE strpos(lower(" +
                                          column + "::text), lower($1)) > 0",
                                      needle)[0]
                          .as<std::int64_t>();
    if (hits > 0) found.push_back(c[0].as<std::string>() + "." + c[1].as<std::string>());
  }
  return found;
}

class PrivacyE2e : public e2e_test {};

TEST_F(PrivacyE2e, AnErasedUserLeavesNoTraceAndStaysErased) {
  const std::string email = unique("ann-erasable") + "@example.com";
  const std::string name = unique("Ann Erasable");
  const std::string bio = unique("the bio of ann");
  const json org = create_tenant(unique("Privacy Org"));
  const json other = create_tenant(unique("Other Org"));

  // Ann as the API knows her: registered (the answer kept for retries), signed in, a
  // profile, a new password, a membership, and an invitation to her address.
  auto created = client().post("/v1/users",
                               {{"email", email}, {"name", name}, {"password", "first-password-1"}},
                               admin, {{"Idempotency-Key", unique("create-ann")}});
  const json ann = made(created);
  const std::string ann_id = id(ann);
  const std::string token = login(email, "first-password-1");
  made(client().patch("/v1/users/" + ann_id + "/profile", {{"bio", bio}}, token), 200);
  made(client().post("/v1/users/" + ann_id + "/password",
                     {{"current_password", "first-password-1"}, {"password", "second-password-2"}},
                     token),
       204);
  made(client().post("/v1/tenants/" + id(org) + "/members", {{"user", ann_id}}, admin));
  made(client().post("/v1/tenants/" + id(other) + "/invitations", {{"invitee", email}}, admin));
  ASSERT_EQ(columns_holding(server->schema(), email).empty(), false);  // the probe finds her

  // No reader of the topic sees her address, her name, her profile or a password hash.
  const std::string wire = kcat_topic(server->topic());
  EXPECT_GT(wire.size(), 1000u);
  for (const std::string& secret : {email, name, bio, std::string("$argon2id$")})
    EXPECT_EQ(wire.find(secret), std::string::npos) << secret << " in the topic";
  EXPECT_NE(wire.find(ann_id), std::string::npos);  // ids stay readable

  // Erasure takes a deleted user, once.
  auto live = client().post("/v1/users/" + ann_id + "/erase", nullptr, admin);
  EXPECT_EQ(live.status, 409u) << live.body;
  EXPECT_EQ(error_of(live), "user_not_deleted");
  made(client().del("/v1/users/" + ann_id, admin), 204);
  auto erased = client().post("/v1/users/" + ann_id + "/erase", nullptr, admin);
  ASSERT_EQ(erased.status, 200u) << erased.body;
  settle(erased);
  EXPECT_EQ(erased.json()["email"], nullptr);
  EXPECT_EQ(erased.json()["name"], "erased user");
  auto again = client().post("/v1/users/" + ann_id + "/erase", nullptr, admin);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(error_of(again), "user_erased");
  auto restore = client().post("/v1/users/" + ann_id + "/restore", nullptr, admin);
  EXPECT_EQ(restore.status, 409u) << restore.body;
  EXPECT_EQ(error_of(restore), "user_erased");
  EXPECT_EQ(client()
                .post("/v1/auth/token", {{"username", email}, {"password", "second-password-2"}})
                .status,
            401u);

  // The read models written before the erasure were scrubbed by it.
  for (const std::string& secret : {email, name, bio})
    EXPECT_EQ(columns_holding(server->schema(), secret), std::vector<std::string>{}) << secret;
  auto invitations = client().get("/v1/tenants/" + id(other) + "/invitations", admin);
  ASSERT_EQ(invitations.status, 200u) << invitations.body;
  ASSERT_EQ(invitations.json()["count"], 1) << invitations.body;
  EXPECT_EQ(invitations.json()["results"][0]["invitee"], nullptr);

  // A rebuild from the log into a fresh schema, with the same keys: her old events still
  // count (versions, history), and open as erased.
  server->terminate();
  const std::string rebuilt = unique("e2e_rebuilt");
  server->start(
      {{"TENANTRY_DB_SCHEMA", rebuilt}, {"TENANTRY_KEY_SCHEMA", server->schema() + "_keys"}});
  ASSERT_FALSE(HasFatalFailure());
  admin = login(server_process::admin_email, server_process::admin_password);
  for (const std::string& secret : {email, name, bio, std::string("$argon2id$")})
    EXPECT_EQ(columns_holding(rebuilt, secret), std::vector<std::string>{}) << secret;
  EXPECT_EQ(columns_holding(rebuilt, ann_id).empty(), false);  // she is there, erased
  auto restore_after = client().post("/v1/users/" + ann_id + "/restore", nullptr, admin);
  EXPECT_EQ(error_of(restore_after), "user_erased") << restore_after.body;
  EXPECT_EQ(kcat_topic(server->topic()).find(email), std::string::npos);
}

}  // namespace
}  // namespace tenantry::testing
