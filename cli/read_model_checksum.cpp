#include "cli/read_model_checksum.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/migrations.hpp"
#include "projections/postgres/postgres_error.hpp"

namespace tenantry::cli {

namespace {

const std::string kSchemaOid = "SELECT oid::bigint FROM pg_namespace WHERE nspname = $1";
// Ordinary and partitioned tables; partitions are read through their parent.
const std::string kTables =
    "SELECT c.oid::bigint, c.relname::text FROM pg_class c"
    " WHERE c.relnamespace = $1::bigint::oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    " ORDER BY c.relname COLLATE \"C\"";
const std::string kColumns =
    "SELECT attname::text FROM pg_attribute"
    " WHERE attrelid = $1::bigint::oid AND attnum > 0 AND NOT attisdropped"
    " ORDER BY attname COLLATE \"C\"";
// The primary key's columns in key order, and whether each sorts by a collation.
const std::string kPrimaryKey =
    "SELECT a.attname::text, a.attcollation <> 0 FROM pg_index i"
    " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
    " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
    " WHERE i.indrelid = $1::bigint::oid AND i.indisprimary ORDER BY k.ord";
// How values render as text must not depend on the server's or the role's settings.
const std::string kFixedRendering =
    "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD';"
    " SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1;"
    " SET LOCAL bytea_output = 'hex'";
const std::string kCursor = "tenantry_checksum_rows";
constexpr int fetch_rows = 2000;
constexpr std::string_view format_tag = "tenantry-checksum-v1\n";

// SHA-256 through OpenSSL's EVP interface.
class sha256 {
 public:
  sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
  void add(std::string_view bytes) {
    if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), md, &length) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 final failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out.push_back(digits[md[i] >> 4]);
      out.push_back(digits[md[i] & 0xf]);
    }
    return out;
  }

 private:
  struct free_ctx {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, free_ctx> ctx_;
};

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// SELECT every column as text, in `columns` order, rows in primary-key order.
std::string select_rows(pqxx::connection& conn, pqxx::transaction_base& tx,
                        const std::string& schema, const std::string& table, std::int64_t oid,
                        const std::vector<std::string>& columns) {
  std::vector<std::string> cells, order;
  for (const auto& c : columns) cells.push_back(conn.quote_name(c) + "::text");
  for (const auto& row : tx.exec_params(kPrimaryKey, oid)) {
    // Bytewise order for text keys: the database's collation must not matter.
    order.push_back(conn.quote_name(row[0].as<std::string>()) +
                    (row[1].as<bool>() ? " COLLATE \"C\"" : ""));
  }
  if (order.empty())  // no primary key: every column's text; equal rows are interchangeable
    for (const auto& c : columns) order.push_back(conn.quote_name(c) + "::text COLLATE \"C\"");
  return "SELECT " + join(cells, ", ") + " FROM " + conn.quote_name(schema) + "." +
         conn.quote_name(table) + (order.empty() ? "" : " ORDER BY " + join(order, ", "));
}

table_checksum checksum_table(pqxx::connection& conn, pqxx::transaction_base& tx,
                              const std::string& schema, const std::string& table,
                              std::int64_t oid) {
  std::vector<std::string> columns;
  for (const auto& row : tx.exec_params(kColumns, oid)) columns.push_back(row[0].as<std::string>());

  sha256 hash;
  hash.add(format_tag);
  hash.add(table + "\n" + join(columns, ",") + "\n");
  table_checksum out{table, 0, {}};
  if (!columns.empty()) {
    tx.exec("DECLARE " + kCursor + " NO SCROLL CURSOR FOR " +
            select_rows(conn, tx, schema, table, oid, columns));
    const std::string fetch = "FETCH FORWARD " + std::to_string(fetch_rows) + " FROM " + kCursor;
    std::string cell;
    for (;;) {
      const pqxx::result rows = tx.exec(fetch);
      for (const auto& row : rows) {
        for (const auto& field : row) {
          if (field.is_null()) {
            hash.add("N");
            continue;
          }
          cell.assign(1, 'V');
          cell += std::to_string(field.size());
          cell.push_back(':');
          cell.append(field.c_str(), field.size());
          hash.add(cell);
        }
      }
      out.rows += static_cast<std::int64_t>(rows.size());
      if (rows.size() < static_cast<std::size_t>(fetch_rows)) break;
    }
    tx.exec("CLOSE " + kCursor);
  }
  out.sha256 = hash.hex();
  return out;
}

}  // namespace

result<read_model_checksum> checksum_read_models(pqxx::connection& conn,
                                                 const std::string& schema) {
  if (!valid_schema_name(schema))
    return fail(errc::invalid_argument, "invalid_schema",
                "Schema names are lowercase identifiers: " + schema);
  try {
    // One snapshot for every table, so a projector committing meanwhile cannot tear it.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
    tx.exec(kFixedRendering);
    const pqxx::result found = tx.exec_params(kSchemaOid, schema);
    if (found.empty())
      return fail(errc::not_found, "schema_not_found", "There is no schema " + schema);
    read_model_checksum out;
    for (const auto& row : tx.exec_params(kTables, found[0][0].as<std::int64_t>())) {
      const std::string table = row[1].as<std::string>();
      if (std::ranges::find(checksum_excluded_tables, table) != checksum_excluded_tables.end())
        continue;
      out.tables.push_back(checksum_table(conn, tx, schema, table, row[0].as<std::int64_t>()));
    }
    tx.commit();
    sha256 total;
    for (const table_checksum& t : out.tables)
      total.add(t.table + " " + std::to_string(t.rows) + " " + t.sha256 + "\n");
    out.total = total.hex();
    return out;
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

result<read_model_checksum> checksum_read_models(const std::string& database_url,
                                                 const std::string& schema) {
  try {
    pqxx::connection conn(database_url);
    return checksum_read_models(conn, schema);
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

std::string render(const read_model_checksum& checksum) {
  std::string out;
  for (const table_checksum& t : checksum.tables)
    out += t.table + " " + std::to_string(t.rows) + " " + t.sha256 + "\n";
  return out + "total " + checksum.total + "\n";
}

}  // namespace tenantry::cli
