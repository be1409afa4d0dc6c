// `tenantry projections checksum` against the real Kafka and PostgreSQL: equal for equal
// read models however they were batched, different as soon as one value differs.
#include <gtest/gtest.h>

#include "integration/cli/cli_fixture.hpp"

namespace tenantry::testing {
namespace {

using cli::read_model_checksum;

const cli::table_checksum& line(const read_model_checksum& c, const std::string& table) {
  for (const auto& t : c.tables)
    if (t.table == table) return t;
  static const cli::table_checksum none;
  ADD_FAILURE() << "no line for table " << table;
  return none;
}

class ProjectionsChecksum : public CliTest {};

TEST_F(ProjectionsChecksum, IsEqualForTwoSchemasBuiltFromTheSameLogInOtherBatches) {
  write_history(script_);
  publish();
  const std::string a = schema_ + "_a", b = schema_ + "_b";
  project(a, 3);
  project(b, 1000);

  const read_model_checksum first = checksum(a);
  EXPECT_EQ(first, checksum(b));
  EXPECT_EQ(first, checksum(a)) << "the same schema twice";
  // Every read-model table, by name.
  std::vector<std::string> names;
  for (const auto& t : first.tables) names.push_back(t.table);
  EXPECT_EQ(names, (std::vector<std::string>{"api_tokens", "events", "group_members", "groups",
                                             "invitations", "memberships", "permission_grants",
                                             "role_assignments", "roles", "tenant_feature_flags",
                                             "tenants", "users"}));
  const auto events = static_cast<std::int64_t>(source_.events().size());
  EXPECT_EQ(line(first, "events").rows, events);
  EXPECT_EQ(line(first, "tenants").rows, 12);
  EXPECT_EQ(line(first, "users").rows, 2);
  EXPECT_EQ(first.total.size(), 64u);
  const std::string text = cli::render(first);
  EXPECT_TRUE(text.starts_with("api_tokens 0 ")) << text;
  EXPECT_NE(text.find("\nevents " + std::to_string(events) + " " + line(first, "events").sha256 +
                      "\ngroup_members 0 "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ntenants 12 " + line(first, "tenants").sha256 + "\n"), std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("\ntotal " + first.total + "\n")) << text;
}

TEST_F(ProjectionsChecksum, ChangesWhenOneValueChangesAndComesBackWithIt) {
  write_history(script_);
  publish();
  const std::string a = schema_ + "_a";
  project(a, 1000);
  const read_model_checksum before = checksum(a);

  exec("UPDATE " + a + ".tenants SET name = name || '.' WHERE slug = 'tenant-7'");
  const read_model_checksum renamed = checksum(a);
  EXPECT_NE(renamed.total, before.total);
  EXPECT_NE(line(renamed, "tenants").sha256, line(before, "tenants").sha256);
  EXPECT_EQ(line(renamed, "users"), line(before, "users"));
  EXPECT_EQ(line(renamed, "events"), line(before, "events"));

  exec("UPDATE " + a + ".tenants SET name = 'Tenant 7' WHERE slug = 'tenant-7'");
  EXPECT_EQ(checksum(a), before);

  // NULL and the empty string are different values.
  exec("UPDATE " + a + ".tenants SET deletion_id = '' WHERE slug = 'tenant-8'");
  EXPECT_NE(checksum(a).total, before.total);
  exec("UPDATE " + a + ".tenants SET deletion_id = NULL WHERE slug = 'tenant-8'");
  EXPECT_EQ(checksum(a), before);

  exec("UPDATE " + a + ".events SET data = data || '{\"extra\": 1}' WHERE position = 0");
  EXPECT_NE(line(checksum(a), "events").sha256, line(before, "events").sha256);
}

TEST_F(ProjectionsChecksum, LeavesOutTheBookkeepingTables) {
  write_history(script_);
  publish();
  const std::string a = schema_ + "_a";
  project(a, 1000);
  const read_model_checksum before = checksum(a);
  exec("UPDATE " + a + ".projection_offsets SET updated_at = now() + interval '1 day'");
  exec("UPDATE " + a + ".schema_migrations SET applied_at = now() - interval '1 day'");
  EXPECT_EQ(checksum(a), before);
}

TEST_F(ProjectionsChecksum, IgnoresTheSessionTimeZone) {
  write_history(script_);
  publish();
  const std::string a = schema_ + "_a";
  project(a, 1000);
  const read_model_checksum utc = checksum(a);
  pqxx::connection conn(database_url());
  {
    pqxx::nontransaction tx(conn);
    tx.exec("SET TimeZone = 'Asia/Kolkata'; SET DateStyle = 'German, DMY'");
  }
  auto shifted = cli::checksum_read_models(conn, a);
  ASSERT_TRUE(shifted) << shifted.error().message;
  EXPECT_EQ(*shifted, utc);
}

TEST_F(ProjectionsChecksum, FailsForAMissingSchema) {
  auto c = cli::checksum_read_models(database_url(), schema_ + "_missing");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "schema_not_found");
  auto bad = cli::checksum_read_models(database_url(), "Not-A-Schema");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "invalid_schema");
}

TEST(ProjectionsChecksumWithoutDatabase, FailsAsAValueWhenPostgresIsUnreachable) {
  auto c = cli::checksum_read_models("postgresql://tenantry@127.0.0.1:1/tenantry", "tenantry");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "database_unavailable");
}

}  // namespace
}  // namespace tenantry::testing
