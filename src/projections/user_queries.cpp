#include "projections/user_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres_codec.hpp"
#include "projections/tenant_queries.hpp"

namespace tenantry {

namespace {

const std::string kColumns =
    "SELECT u.id::text, u.email, u.name, u.platform_roles, u.is_active, u.version,"
    " (extract(epoch FROM u.created_at) * 1000)::bigint,"
    " (extract(epoch FROM u.updated_at) * 1000)::bigint";

const std::string kFindById = kColumns + " FROM users u WHERE u.id = $1::uuid";
const std::string kFindByEmail = kColumns + " FROM users u WHERE u.email = lower($1)";

const std::string kListFrom =
    " FROM users u"
    " WHERE ($1::text IS NULL OR u.email LIKE lower($1::text)"
    " OR lower(u.name) LIKE lower($1::text))"
    " AND ($2::boolean IS NULL OR u.is_active = $2::boolean)";
const std::string kListCount = "SELECT count(*)" + kListFrom;
const std::string kListPage = kColumns + kListFrom;
const std::string kPageLimit = " LIMIT $3 OFFSET $4";

const std::string kOrderByEmail = " ORDER BY u.email";
const std::string kOrderByEmailDesc = " ORDER BY u.email DESC";
const std::string kOrderByName = " ORDER BY lower(u.name), u.id";
const std::string kOrderByNameDesc = " ORDER BY lower(u.name) DESC, u.id DESC";
const std::string kOrderByCreated = " ORDER BY u.created_at, u.id";
const std::string kOrderByCreatedDesc = " ORDER BY u.created_at DESC, u.id DESC";

const std::string& order_clause(const std::string& ordering) {
  if (ordering == "-email") return kOrderByEmailDesc;
  if (ordering == "name") return kOrderByName;
  if (ordering == "-name") return kOrderByNameDesc;
  if (ordering == "created_at") return kOrderByCreated;
  if (ordering == "-created_at") return kOrderByCreatedDesc;
  return kOrderByEmail;
}

user_row read_user(const pqxx::row& r) {
  user_row u;
  u.id = r[0].as<std::string>();
  u.email = r[1].as<std::string>();
  u.name = r[2].as<std::string>();
  u.platform_roles = parse_text_array(r[3].c_str());
  u.is_active = r[4].as<bool>();
  u.version = r[5].as<std::int64_t>();
  u.created_at = timestamp_from_millis(r[6].as<std::int64_t>());
  u.updated_at = timestamp_from_millis(r[7].as<std::int64_t>());
  return u;
}

}  // namespace

std::optional<user_row> find_user(pqxx::connection& conn, std::string_view ref) {
  pqxx::nontransaction tx(conn);
  const auto id = canonical_uuid(ref);
  const pqxx::result r =
      id ? tx.exec_params(kFindById, *id) : tx.exec_params(kFindByEmail, std::string(ref));
  if (r.empty()) return std::nullopt;
  return read_user(r[0]);
}

user_page list_users(pqxx::connection& conn, const user_filter& f) {
  std::optional<std::string> search;
  if (!f.search.empty()) search = contains_pattern(f.search);
  const int page = std::max(f.page, 1);
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  const std::int64_t offset = static_cast<std::int64_t>(page - 1) * page_size;

  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  user_page out;
  out.count = tx.exec_params1(kListCount, search, f.is_active)[0].as<std::int64_t>();
  if (out.count > offset)
    for (const auto& row : tx.exec_params(kListPage + order_clause(f.ordering) + kPageLimit, search,
                                          f.is_active, page_size, offset))
      out.rows.push_back(read_user(row));
  tx.commit();
  return out;
}

}  // namespace tenantry
