#pragma once
// A deterministic digest of every read model in a schema: two schemas built from the same
// log give the same digest, whatever batches built them; any changed value changes it.
//
// Per table, SHA-256 over: "tenantry-checksum-v1\n", the table name and its column names
// (sorted bytewise, comma-separated) on one line each, then every row in primary-key order
// (all columns, as text, when there is none), each column in that sorted order as
// "N" for NULL or "V<length>:<text>". The text is PostgreSQL's own rendering under fixed
// settings (UTC, ISO dates, hex bytea, shortest exact floats), read in one REPEATABLE READ
// snapshot. The total is SHA-256 over the rendered "table rows sha256\n" lines.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/result.hpp"

namespace tenantry::cli {

// Bookkeeping, not read models: when migrations ran and where a projector stands differ
// between a live schema and a rebuilt one by nature (the rebuild's offset is its start).
inline constexpr std::array<std::string_view, 3> checksum_excluded_tables{
    "projection_offsets", "projection_faults", "schema_migrations"};

struct table_checksum {
  std::string table;
  std::int64_t rows = 0;
  std::string sha256;  // lowercase hex
  bool operator==(const table_checksum&) const = default;
};

struct read_model_checksum {
  std::vector<table_checksum> tables;  // by name
  std::string total;
  bool operator==(const read_model_checksum&) const = default;
};

// Every ordinary table of `schema` except checksum_excluded_tables. Errors:
// "schema_not_found" (not_found), "invalid_schema", or the database's (postgres_error.hpp).
result<read_model_checksum> checksum_read_models(pqxx::connection& conn, const std::string& schema);
// The same on a connection of its own.
result<read_model_checksum> checksum_read_models(const std::string& database_url,
                                                 const std::string& schema);

// One "table rows sha256" line per table, then "total sha256".
std::string render(const read_model_checksum& checksum);

}  // namespace tenantry::cli
