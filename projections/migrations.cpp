#include "projections/migrations.hpp"

#include <cstdint>
#include <set>

#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_error.hpp"

namespace tenantry {

namespace {

// One lock for every schema of the database: CREATE EXTENSION is database-wide.
constexpr std::int64_t migration_lock_key = 0x74656e616e747279;  // "tenantry"

const std::string kCreateLtree = "CREATE EXTENSION IF NOT EXISTS ltree WITH SCHEMA public";
const std::string kLtreeSchema =
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
    "WHERE e.extname = 'ltree'";
const std::string kLock = "SELECT pg_advisory_lock($1)";
const std::string kUnlock = "SELECT pg_advisory_unlock($1)";
const std::string kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
const std::string kAppliedMigrations = "SELECT name FROM schema_migrations";
const std::string kRecordMigration = "INSERT INTO schema_migrations (name) VALUES ($1)";

// Releases the session-level advisory lock however migrate() leaves.
class migration_lock {
 public:
  explicit migration_lock(pqxx::connection& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec_params(kLock, migration_lock_key);
  }
  ~migration_lock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec_params(kUnlock, migration_lock_key);
    } catch (const std::exception& e) {
      // A broken connection releases the lock by itself.
      spdlog::warn("migrations: releasing the advisory lock failed: {}", e.what());
    }
  }
  migration_lock(const migration_lock&) = delete;
  migration_lock& operator=(const migration_lock&) = delete;

 private:
  pqxx::connection& conn_;
};

result<void> invalid_schema(std::string_view schema) {
  return fail(errc::invalid_argument, "invalid_schema",
              "Schema names are lowercase identifiers: " + std::string(schema));
}

}  // namespace

bool valid_schema_name(std::string_view schema) {
  if (schema.empty() || schema.size() > 63) return false;
  if (schema[0] >= '0' && schema[0] <= '9') return false;
  for (char c : schema)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

result<void> use_schema(pqxx::connection& conn, const std::string& schema) {
  if (!valid_schema_name(schema)) return invalid_schema(schema);
  try {
    pqxx::nontransaction tx(conn);
    std::string path = conn.quote_name(schema);
    const pqxx::result ltree = tx.exec(kLtreeSchema);
    if (!ltree.empty() && ltree[0][0].as<std::string>() != schema)
      path += ", " + conn.quote_name(ltree[0][0].as<std::string>());
    tx.exec("SET search_path TO " + path);
    return {};
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

result<void> migrate(pqxx::connection& conn, const std::string& schema) {
  if (!valid_schema_name(schema)) return invalid_schema(schema);
  std::string current = "(setup)";
  try {
    migration_lock lock(conn);
    {
      pqxx::nontransaction tx(conn);
      tx.exec(kCreateLtree);
      tx.exec("CREATE SCHEMA IF NOT EXISTS " + conn.quote_name(schema));
    }
    if (auto used = use_schema(conn, schema); !used) return used;
    std::set<std::string> applied;
    {
      pqxx::work tx(conn);
      tx.exec(kCreateMigrationsTable);
      for (const auto& row : tx.exec(kAppliedMigrations)) applied.insert(row[0].as<std::string>());
      tx.commit();
    }
    for (const migration& m : embedded_migrations()) {
      if (applied.contains(m.name)) continue;
      current = m.name;
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params(kRecordMigration, m.name);
      tx.commit();
      spdlog::info("migrations: applied {} to schema {}", m.name, schema);
    }
    return {};
  } catch (...) {
    error e = current_database_error();
    e.message = "Migration " + current + " of schema " + schema + " failed: " + e.message;
    if (e.category != errc::unavailable) e.code = "migration_failed";
    return std::unexpected(std::move(e));
  }
}

}  // namespace tenantry
