#include <gtest/gtest.h>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "projections/postgres/postgres_key_store.hpp"
#include "test_env.hpp"

namespace tenantry::testing {
namespace {

constexpr std::string_view ann = "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f70";

key_encryption_key kek(const char* base64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=") {
  return *key_encryption_key::from_base64(base64);
}

// The store answered, and with no key.
bool no_key(const result<std::optional<data_key>>& r) {
  return r.has_value() && !r->has_value();
}

// The keys' schema of a fresh read-model schema name, dropped afterwards.
struct keys_under_test {
  std::string schema = unique_name("keys");
  ~keys_under_test() {
    try {
      pqxx::connection admin(database_url());
      pqxx::nontransaction tx(admin);
      tx.exec("DROP SCHEMA IF EXISTS " + admin.quote_name(postgres_key_store::schema_of(schema)) +
              " CASCADE");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping the keys' schema: " << e.what();
    }
  }
  std::unique_ptr<postgres_key_store> open(key_encryption_key k = kek()) {
    auto store = postgres_key_store::open(database_url(), postgres_key_store::schema_of(schema),
                                          std::move(k));
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  pqxx::result rows() {
    pqxx::connection c(database_url());
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT person, wrapped FROM " +
                   c.quote_name(postgres_key_store::schema_of(schema)) + ".data_keys");
  }
};

TEST(PostgresKeyStore, AKeyIsMadeOnceAndEveryProcessReadsTheSame) {
  keys_under_test keys;
  auto writer = keys.open();
  ASSERT_TRUE(writer);
  const auto made = writer->key_for_sealing(ann);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(writer->key_for_sealing(ann), *made);
  auto reader = keys.open();  // another process: nothing cached
  ASSERT_TRUE(reader);
  const auto read = reader->key_for_opening(ann);
  ASSERT_TRUE(read && *read);
  EXPECT_EQ(**read, *made);
  EXPECT_EQ(reader->key_for_sealing(ann), *made);  // never a second key for one person
  const pqxx::result rows = keys.rows();
  ASSERT_EQ(rows.size(), 1u);
  // What the table holds is wrapped: not the key's bytes in any spelling.
  const std::string wrapped = rows[0][1].as<std::string>();
  const std::string raw(made->bytes.begin(), made->bytes.end());
  EXPECT_EQ(wrapped.find(raw), std::string::npos);
}

TEST(PostgresKeyStore, DestroyedKeysOpenNothingAnywhere) {
  keys_under_test keys;
  auto writer = keys.open();
  auto reader = keys.open();
  ASSERT_TRUE(writer && reader);
  ASSERT_TRUE(writer->key_for_sealing(ann));
  ASSERT_TRUE(reader->key_for_opening(ann).value());
  ASSERT_TRUE(writer->destroy(ann));
  EXPECT_TRUE(no_key(writer->key_for_opening(ann)));
  EXPECT_TRUE(keys.rows().empty());
  reader->forget(ann);  // as the reader does when it reads the erasure in the log
  EXPECT_TRUE(no_key(reader->key_for_opening(ann)));
  EXPECT_TRUE(no_key(keys.open()->key_for_opening(ann)));
}

TEST(PostgresKeyStore, AnotherKekCannotUnwrapTheStoredKeys) {
  keys_under_test keys;
  ASSERT_TRUE(keys.open()->key_for_sealing(ann));
  auto other = keys.open(kek("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="));
  ASSERT_TRUE(other);
  const auto read = other->key_for_opening(ann);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "data_key_mismatch");
}

TEST(PostgresKeyStore, DestroyBeforeTakesOnlyItsPrefixBelowTheBoundAndPreloadReadsTheRest) {
  keys_under_test keys;
  auto writer = keys.open();
  for (std::string_view person : {std::string_view("answers:2026-12-05"),
                                  std::string_view("answers:2026-12-06"), ann})
    ASSERT_TRUE(writer->key_for_sealing(person));
  ASSERT_TRUE(writer->destroy_before("answers:", "answers:2026-12-06"));
  EXPECT_TRUE(no_key(writer->key_for_opening("answers:2026-12-05")));
  auto reader = keys.open();
  ASSERT_TRUE(reader->preload());
  EXPECT_EQ(keys.rows().size(), 2u);
  EXPECT_TRUE(no_key(reader->key_for_opening("answers:2026-12-05")));
  EXPECT_FALSE(no_key(reader->key_for_opening("answers:2026-12-06")));
  EXPECT_FALSE(no_key(reader->key_for_opening(ann)));
  auto stranger = keys.open(kek("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="));
  const auto refused = stranger->preload();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "data_key_mismatch");
}

}  // namespace
}  // namespace tenantry::testing
