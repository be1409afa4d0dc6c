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

const std::string kGrantColumns =
    "SELECT p.id::text, p.principal_type, p.principal_id::text, p.permission, p.object_type,"
    " p.object_id::text, p.tenant_id::text, p.is_revoked, p.version, " +
    millis("p.created_at") + ", " + millis("p.updated_at");
// Grants inside a deleted tenant are hidden with it; `within` keeps those owned by the
// given tenants' subtrees (platform-level grants only when it is NULL).
const std::string kGrantsWhere =
    " FROM permission_grants p LEFT JOIN tenants t ON t.id = p.tenant_id"
    " WHERE (p.tenant_id IS NULL OR NOT t.is_deleted)"
    " AND ($1::text IS NULL OR p.object_type = $1::text)"
    " AND ($2::uuid IS NULL OR p.object_id = $2::uuid)"
    " AND ($3::uuid IS NULL OR p.principal_id = $3::uuid)"
    " AND ($4::boolean OR NOT p.is_revoked)"
    " AND ($5::uuid[] IS NULL OR (p.tenant_id IS NOT NULL AND EXISTS (SELECT 1 FROM tenants w"
    " WHERE w.id = ANY($5::uuid[]) AND t.path <@ w.path)))";

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

grant_row read_grant(const pqxx::row& r) {
  grant_row g;
  g.id = r[0].as<std::string>();
  g.principal_type = r[1].as<std::string>();
  g.principal_id = r[2].as<std::string>();
  g.permission = r[3].as<std::string>();
  g.object_type = r[4].as<std::string>();
  g.object_id = r[5].as<std::string>();
  if (!r[6].is_null()) g.tenant_id = r[6].as<std::string>();
  g.is_revoked = r[7].as<bool>();
  g.version = r[8].as<std::int64_t>();
  g.created_at = timestamp_from_millis(r[9].as<std::int64_t>());
  g.updated_at = timestamp_from_millis(r[10].as<std::int64_t>());
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

grant_page list_grants(pqxx::connection& conn, const grant_filter& f) {
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  std::optional<std::string> within;
  if (f.within) within = array_literal(*f.within);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  grant_page out;
  out.count = tx.exec_params1("SELECT count(*)" + kGrantsWhere, f.object_type, f.object_id,
                              f.principal_id, f.include_revoked, within)[0]
                  .as<std::int64_t>();
  for (const auto& r : tx.exec_params(
           kGrantColumns + kGrantsWhere + " ORDER BY p.created_at, p.id LIMIT $6 OFFSET $7",
           f.object_type, f.object_id, f.principal_id, f.include_revoked, within, page_size,
           offset_of(f.page, page_size)))
    out.rows.push_back(read_grant(r));
  tx.commit();
  return out;
}

std::optional<grant_row> find_grant(pqxx::connection& conn, std::string_view id) {
  const auto canonical = canonical_uuid(id);
  if (!canonical) return std::nullopt;
  pqxx::nontransaction tx(conn);
  const pqxx::result r =
      tx.exec_params(kGrantColumns + kGrantsWhere + " AND p.id = $6::uuid",
                     std::optional<std::string>(), std::optional<std::string>(),
                     std::optional<std::string>(), true, std::optional<std::string>(), *canonical);
  if (r.empty()) return std::nullopt;
  return read_grant(r[0]);
}

}  // namespace tenantry
