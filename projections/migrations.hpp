#pragma once
// Schema migrations of the read side: numbered .sql files compiled into the library and
// applied once each, in name order, into a configurable PostgreSQL schema.

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/result.hpp"

namespace tenantry {

inline constexpr std::string_view default_schema = "tenantry";

struct migration {
  std::string name;  // e.g. "0001_initial.sql"
  std::string sql;
};

// Every projections/migrations/*.sql, sorted by name (generated at build time).
const std::vector<migration>& embedded_migrations();

// True for a plain lowercase identifier: [a-z_][a-z0-9_]*, at most 63 characters.
bool valid_schema_name(std::string_view schema);

// Points the session's search_path at `schema`, then the schema that holds ltree.
result<void> use_schema(pqxx::connection& conn, const std::string& schema);

// Creates `schema` if missing and applies the migrations not yet recorded in its
// schema_migrations table, each in its own transaction, under an advisory lock so that
// concurrent starters wait for each other. Leaves the search_path on `schema`.
result<void> migrate(pqxx::connection& conn, const std::string& schema);

}  // namespace tenantry
