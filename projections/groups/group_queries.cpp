#include "projections/groups/group_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry {
namespace {

const std::string kGroupColumns =
    "SELECT g.id::text, g.tenant_id::text, g.slug, g.name, g.description,"
    " (SELECT count(*) FROM group_members gm JOIN users u ON u.id = gm.user_id"
    " WHERE gm.group_id = g.id AND NOT u.is_deleted), g.version, " +
    millis("g.created_at") + ", " + millis("g.updated_at");
// A group is live while it and its tenant (if any) are not deleted.
const std::string kLiveGroups =
    " FROM groups g LEFT JOIN tenants t ON t.id = g.tenant_id"
    " WHERE NOT g.is_deleted AND (g.tenant_id IS NULL OR NOT t.is_deleted)";
const std::string kFindById = kGroupColumns + kLiveGroups + " AND g.id = $1::uuid";
const std::string kFindBySlug = kGroupColumns + kLiveGroups + " AND g.slug = $1";
const std::string kListWhere =
    kLiveGroups +
    " AND g.tenant_id IS NOT DISTINCT FROM $1::uuid"
    " AND ($2::text IS NULL OR lower(g.name) LIKE lower($2::text) OR g.slug LIKE lower($2::text))";

const std::string kMembersFrom =
    " FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE gm.group_id = $1::uuid"
    " AND NOT u.is_deleted";  // a deleted user's memberships come back with it

const std::string& order_clause(const std::string& ordering) {
  static const std::string by_name = " ORDER BY lower(g.name), g.id";
  static const std::string by_name_desc = " ORDER BY lower(g.name) DESC, g.id DESC";
  static const std::string by_created = " ORDER BY g.created_at, g.id";
  static const std::string by_created_desc = " ORDER BY g.created_at DESC, g.id DESC";
  if (ordering == "-name") return by_name_desc;
  if (ordering == "created_at") return by_created;
  if (ordering == "-created_at") return by_created_desc;
  return by_name;
}

group_row read_group(const pqxx::row& r) {
  group_row g;
  g.id = r[0].as<std::string>();
  if (!r[1].is_null()) g.tenant_id = r[1].as<std::string>();
  g.slug = r[2].as<std::string>();
  g.name = r[3].as<std::string>();
  g.description = r[4].as<std::string>();
  g.member_count = r[5].as<std::int64_t>();
  g.version = r[6].as<std::int64_t>();
  g.created_at = timestamp_from_millis(r[7].as<std::int64_t>());
  g.updated_at = timestamp_from_millis(r[8].as<std::int64_t>());
  return g;
}

}  // namespace

std::optional<group_row> find_group(pqxx::connection& conn, std::string_view ref) {
  pqxx::nontransaction tx(conn);
  const auto id = canonical_uuid(ref);
  const pqxx::result r =
      id ? tx.exec_params(kFindById, *id) : tx.exec_params(kFindBySlug, std::string(ref));
  if (r.empty()) return std::nullopt;
  return read_group(r[0]);
}

group_page list_groups(pqxx::connection& conn, const group_filter& f) {
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  std::optional<std::string> search;
  if (!f.search.empty()) search = contains_pattern(f.search);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  group_page out;
  out.count =
      tx.exec_params1("SELECT count(*)" + kListWhere, f.tenant_id, search)[0].as<std::int64_t>();
  for (const auto& r :
       tx.exec_params(kGroupColumns + kListWhere + order_clause(f.ordering) + " LIMIT $3 OFFSET $4",
                      f.tenant_id, search, page_size, offset_of(f.page, page_size)))
    out.rows.push_back(read_group(r));
  tx.commit();
  return out;
}

group_member_page list_group_members(pqxx::connection& conn, const std::string& group_id, int page,
                                     int page_size) {
  page_size = std::clamp(page_size, 1, max_page_size);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  group_member_page out;
  out.count = tx.exec_params1("SELECT count(*)" + kMembersFrom, group_id)[0].as<std::int64_t>();
  for (const auto& r :
       tx.exec_params("SELECT u.id::text, u.email, u.name, " + millis("gm.added_at") +
                          kMembersFrom + " ORDER BY u.email LIMIT $2 OFFSET $3",
                      group_id, page_size, offset_of(page, page_size)))
    out.rows.push_back(group_member_row{r[0].as<std::string>(), r[1].as<std::string>(),
                                        r[2].as<std::string>(),
                                        timestamp_from_millis(r[3].as<std::int64_t>())});
  tx.commit();
  return out;
}

}  // namespace tenantry
