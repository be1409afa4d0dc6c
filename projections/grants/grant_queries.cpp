#include "projections/grants/grant_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry {
namespace {

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
