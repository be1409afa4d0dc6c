#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>

#include "integration/projections/projection_fixture.hpp"
#include "projections/migrations.hpp"

namespace tenantry::testing {
namespace {

TEST(Migrations, CreateEveryTableInAFreshSchema) {
  schema_under_test schema;
  for (const char* table :
       {"events", "projection_offsets", "tenants", "users", "schema_migrations"})
    EXPECT_EQ(schema.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" +
                           schema.name() + "' AND table_name = '" + table + "'"),
              1)
        << table;
  EXPECT_EQ(schema.count("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embedded_migrations().size()));
  EXPECT_EQ(schema.query("SELECT current_schema()")[0][0].as<std::string>(), schema.name());
}

TEST(Migrations, SecondRunAppliesNothingAndKeepsData) {
  schema_under_test schema;
  schema.query("INSERT INTO projection_offsets (projection, next_offset) VALUES ('p', 7)");
  pqxx::connection again(database_url());
  auto migrated = migrate(again, schema.name());
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(schema.count("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embedded_migrations().size()));
  EXPECT_EQ(schema.count("SELECT next_offset FROM projection_offsets WHERE projection = 'p'"), 7);
}

TEST(Migrations, ConcurrentStartersApplyEachMigrationOnce) {
  const std::string schema = unique_name("proj_race");
  std::vector<std::thread> starters;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i)
    starters.emplace_back([&] {
      try {
        pqxx::connection conn(database_url());
        if (!migrate(conn, schema)) ++failures;
      } catch (const std::exception&) {
        ++failures;
      }
    });
  for (auto& t : starters) t.join();
  ASSERT_EQ(failures.load(), 0);
  pqxx::connection conn(database_url());
  ASSERT_TRUE(use_schema(conn, schema));
  {
    pqxx::nontransaction tx(conn);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM schema_migrations")[0][0].as<std::size_t>(),
              embedded_migrations().size());
    tx.exec("DROP SCHEMA " + conn.quote_name(schema) + " CASCADE");
  }
}

TEST(Migrations, EmbeddedMigrationsAreNumberedAndSorted) {
  const auto& all = embedded_migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().name, "0001_initial.sql");
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].name, all[i].name);
}

TEST(Migrations, RejectInvalidSchemaNameWithoutTouchingTheDatabase) {
  pqxx::connection conn(database_url());
  for (const char* bad : {"", "Tenantry", "a-b", "x; DROP TABLE y", "1abc"}) {
    auto migrated = migrate(conn, bad);
    ASSERT_FALSE(migrated) << bad;
    EXPECT_EQ(migrated.error().category, errc::invalid_argument);
  }
}

}  // namespace
}  // namespace tenantry::testing
