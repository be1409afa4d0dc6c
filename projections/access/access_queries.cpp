#include "projections/access/access_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry {
namespace {

// ltree labels are the ids' hex digits: put the dashes back.
std::string uuid_of_label(std::string_view label) {
  if (label.size() != 32) return std::string(label);
  std::string out(label.substr(0, 8));
  out += '-';
  out += label.substr(8, 4);
  out += '-';
  out += label.substr(12, 4);
  out += '-';
  out += label.substr(16, 4);
  out += '-';
  out += label.substr(20);
  return out;
}

std::vector<std::string> path_ids(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    const std::size_t dot = path.find('.', start);
    out.push_back(uuid_of_label(path.substr(start, dot - start)));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

const std::string kTenantPathById =
    "SELECT id::text, path::text, is_deleted FROM tenants WHERE id = $1::uuid";
const std::string kTenantPathBySlug =
    "SELECT id::text, path::text, is_deleted FROM tenants WHERE slug = $1";

// Membership roles unnested, then the user's assignments, then those of its live groups
// (not deleted, not in a deleted tenant), then the grants to the user and to those
// groups; custom roles joined for their names and permissions (a deleted custom role
// grants nothing).
const std::string kLiveGroups =
    "WITH live_groups AS (SELECT g.id FROM group_members gm JOIN groups g ON g.id = gm.group_id"
    " LEFT JOIN tenants gt ON gt.id = g.tenant_id WHERE gm.user_id = $1::uuid"
    " AND NOT g.is_deleted AND (g.tenant_id IS NULL OR NOT gt.is_deleted)) ";
const std::string kGrantColumns =
    "SELECT 'grant', p.id::text, p.permission, p.permission, coalesce(p.tenant_id::text, ''),"
    " true, ARRAY[p.permission], NULL::bigint, ";
const std::string kGrantObject =
    ", CASE WHEN p.object_type = 'tenant' THEN NULL ELSE p.object_type END,"
    " CASE WHEN p.object_type = 'tenant' THEN NULL ELSE p.object_id::text END";
// The roles assigned to the live groups and the permissions granted to them.
const std::string kGroupAssignments =
    " SELECT 'assignment', a.id::text, a.role, coalesce(cr.name, a.role), a.tenant_id::text,"
    " cr.id IS NOT NULL, coalesce(cr.permissions, '{}'), " +
    millis("a.expires_at") +
    ", g.id::text, NULL, NULL FROM live_groups g JOIN role_assignments a"
    " ON a.principal_type = 'group' AND a.principal_id = g.id AND NOT a.is_revoked"
    " LEFT JOIN roles cr ON cr.id::text = a.role AND NOT cr.is_deleted";
const std::string kGroupGrants = kGrantColumns + "g.id::text" + kGrantObject +
                                 " FROM live_groups g JOIN permission_grants p ON"
                                 " p.principal_type = 'group'"
                                 " AND p.principal_id = g.id AND NOT p.is_revoked";
const std::string kBindings =
    kLiveGroups +
    "SELECT 'membership', m.id::text, r.role, coalesce(cr.name, r.role), m.tenant_id::text,"
    " cr.id IS NOT NULL, coalesce(cr.permissions, '{}'), NULL::bigint, NULL::text, NULL::text,"
    " NULL::text"
    " FROM memberships m CROSS JOIN LATERAL unnest(m.roles) AS r(role)"
    " LEFT JOIN roles cr ON cr.id::text = r.role AND NOT cr.is_deleted"
    " WHERE m.user_id = $1::uuid AND NOT m.is_removed"
    " UNION ALL"
    " SELECT 'assignment', a.id::text, a.role, coalesce(cr.name, a.role), a.tenant_id::text,"
    " cr.id IS NOT NULL, coalesce(cr.permissions, '{}'), " +
    millis("a.expires_at") +
    ", NULL, NULL, NULL FROM role_assignments a"
    " LEFT JOIN roles cr ON cr.id::text = a.role AND NOT cr.is_deleted"
    " WHERE a.principal_type = 'user' AND a.principal_id = $1::uuid AND NOT a.is_revoked"
    " UNION ALL" +
    kGroupAssignments + " UNION ALL " + kGrantColumns + "NULL" + kGrantObject +
    " FROM permission_grants p WHERE p.principal_type = 'user' AND p.principal_id = $1::uuid"
    " AND NOT p.is_revoked"
    " UNION ALL " +
    kGroupGrants;
// What one group holds ($1), as its members hold it (bindings_of_group).
const std::string kGroupBindings = "WITH live_groups AS (SELECT $1::uuid AS id)" +
                                   kGroupAssignments + " UNION ALL " + kGroupGrants;

const std::string kRoleColumns =
    "SELECT r.id::text, r.tenant_id::text, r.name, r.description,"
    " r.permissions, r.version, " +
    millis("r.created_at") + ", " + millis("r.updated_at");
const std::string kRolesOn = kRoleColumns +
                             " FROM roles r WHERE r.tenant_id = ANY($1::uuid[])"
                             " AND NOT r.is_deleted ORDER BY lower(r.name), r.id";
const std::string kFindRole = kRoleColumns +
                              " FROM roles r WHERE r.tenant_id = $1::uuid AND r.id = $2::uuid"
                              " AND NOT r.is_deleted";

const std::string kAssignmentColumns =
    "SELECT a.id::text, a.tenant_id::text, a.principal_type, a.principal_id::text, a.role,"
    " coalesce(cr.name, a.role), " +
    millis("a.expires_at") + ", a.is_revoked, a.version, " + millis("a.created_at") + ", " +
    millis("a.updated_at");
const std::string kAssignmentsFrom =
    " FROM role_assignments a LEFT JOIN roles cr ON cr.id::text = a.role"
    " WHERE a.tenant_id = $1::uuid AND ($2::boolean OR NOT a.is_revoked)";

const std::string kMemberColumns =
    "SELECT m.id::text, m.tenant_id::text, m.user_id::text, u.email, u.name, m.roles,"
    " ARRAY(SELECT coalesce(cr.name, r.role) FROM unnest(m.roles) WITH ORDINALITY AS r(role, n)"
    " LEFT JOIN roles cr ON cr.id::text = r.role ORDER BY r.n),"
    " m.version, " +
    millis("m.created_at") + ", " + millis("m.updated_at");
const std::string kMembersFrom =
    " FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.tenant_id = $1::uuid AND NOT m.is_removed AND NOT u.is_deleted"
    " AND ($2::text IS NULL OR u.email LIKE lower($2::text) OR lower(u.name) LIKE lower($2::text))";

const std::string kMembershipPaths =
    "SELECT t.id::text, t.path::text, t.is_deleted FROM memberships m"
    " JOIN tenants t ON t.id = m.tenant_id WHERE m.user_id = $1::uuid AND NOT m.is_removed";

role_row read_role(const pqxx::row& r) {
  role_row out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.name = r[2].as<std::string>();
  out.description = r[3].as<std::string>();
  out.permissions = parse_text_array(r[4].c_str());
  out.version = r[5].as<std::int64_t>();
  out.created_at = timestamp_from_millis(r[6].as<std::int64_t>());
  out.updated_at = timestamp_from_millis(r[7].as<std::int64_t>());
  return out;
}

assignment_row read_assignment(const pqxx::row& r) {
  assignment_row out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.principal_type = r[2].as<std::string>();
  out.principal_id = r[3].as<std::string>();
  out.role = r[4].as<std::string>();
  out.role_name = r[5].as<std::string>();
  out.expires_at = optional_millis(r[6]);
  out.is_revoked = r[7].as<bool>();
  out.version = r[8].as<std::int64_t>();
  out.created_at = timestamp_from_millis(r[9].as<std::int64_t>());
  out.updated_at = timestamp_from_millis(r[10].as<std::int64_t>());
  return out;
}

member_row read_member(const pqxx::row& r) {
  member_row out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.user_id = r[2].as<std::string>();
  out.email = r[3].as<std::string>();
  out.name = r[4].as<std::string>();
  out.roles = parse_text_array(r[5].c_str());
  out.role_names = parse_text_array(r[6].c_str());
  out.version = r[7].as<std::int64_t>();
  out.created_at = timestamp_from_millis(r[8].as<std::int64_t>());
  out.updated_at = timestamp_from_millis(r[9].as<std::int64_t>());
  return out;
}

tenant_path read_path(const pqxx::row& r) {
  return tenant_path{r[0].as<std::string>(), path_ids(r[1].as<std::string>()), r[2].as<bool>()};
}

}  // namespace

std::optional<tenant_path> find_tenant_path(pqxx::connection& conn, std::string_view ref) {
  pqxx::nontransaction tx(conn);
  const auto id = canonical_uuid(ref);
  const pqxx::result r = id ? tx.exec_params(kTenantPathById, *id)
                            : tx.exec_params(kTenantPathBySlug, std::string(ref));
  if (r.empty()) return std::nullopt;
  return read_path(r[0]);
}

namespace {

std::vector<binding_row> bindings(pqxx::connection& conn, const std::string& sql,
                                  const std::string& principal_id) {
  std::vector<binding_row> out;
  if (!canonical_uuid(principal_id)) return out;
  pqxx::nontransaction tx(conn);
  for (const auto& r : tx.exec_params(sql, principal_id)) {
    binding_row b;
    b.source = r[0].as<std::string>();
    b.source_id = r[1].as<std::string>();
    b.role = r[2].as<std::string>();
    b.role_name = r[3].as<std::string>();
    b.tenant_id = r[4].as<std::string>();
    b.custom = r[5].as<bool>();
    b.permissions = parse_text_array(r[6].c_str());
    b.expires_at = optional_millis(r[7]);
    if (!r[8].is_null()) b.group_id = r[8].as<std::string>();
    if (!r[9].is_null()) b.object_type = r[9].as<std::string>();
    if (!r[10].is_null()) b.object_id = r[10].as<std::string>();
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

std::vector<binding_row> bindings_of_user(pqxx::connection& conn, const std::string& user_id) {
  return bindings(conn, kBindings, user_id);
}

std::vector<binding_row> bindings_of_group(pqxx::connection& conn, const std::string& group_id) {
  return bindings(conn, kGroupBindings, group_id);
}

std::vector<role_row> roles_on(pqxx::connection& conn, const std::vector<std::string>& tenant_ids) {
  std::vector<role_row> out;
  pqxx::nontransaction tx(conn);
  for (const auto& r : tx.exec_params(kRolesOn, array_literal(tenant_ids)))
    out.push_back(read_role(r));
  return out;
}

std::optional<role_row> find_role(pqxx::connection& conn, const std::string& tenant_id,
                                  std::string_view role_id) {
  const auto id = canonical_uuid(role_id);
  if (!id) return std::nullopt;
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(kFindRole, tenant_id, *id);
  if (r.empty()) return std::nullopt;
  return read_role(r[0]);
}

assignment_page list_assignments(pqxx::connection& conn, const std::string& tenant_id,
                                 bool include_revoked, int page, int page_size) {
  page_size = std::clamp(page_size, 1, max_page_size);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  assignment_page out;
  out.count = tx.exec_params1("SELECT count(*)" + kAssignmentsFrom, tenant_id, include_revoked)[0]
                  .as<std::int64_t>();
  for (const auto& r :
       tx.exec_params(kAssignmentColumns + kAssignmentsFrom +
                          " ORDER BY a.created_at, a.id LIMIT $3 OFFSET $4",
                      tenant_id, include_revoked, page_size, offset_of(page, page_size)))
    out.rows.push_back(read_assignment(r));
  tx.commit();
  return out;
}

member_page list_members(pqxx::connection& conn, const std::string& tenant_id,
                         const std::string& search, int page, int page_size) {
  page_size = std::clamp(page_size, 1, max_page_size);
  std::optional<std::string> pattern;
  if (!search.empty()) pattern = contains_pattern(search);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  member_page out;
  out.count =
      tx.exec_params1("SELECT count(*)" + kMembersFrom, tenant_id, pattern)[0].as<std::int64_t>();
  for (const auto& r :
       tx.exec_params(kMemberColumns + kMembersFrom + " ORDER BY u.email LIMIT $3 OFFSET $4",
                      tenant_id, pattern, page_size, offset_of(page, page_size)))
    out.rows.push_back(read_member(r));
  tx.commit();
  return out;
}

std::optional<member_row> find_member(pqxx::connection& conn, const std::string& tenant_id,
                                      std::string_view user_ref) {
  pqxx::nontransaction tx(conn);
  const auto id = canonical_uuid(user_ref);
  const std::string where = id ? " AND m.user_id = $3::uuid" : " AND u.email = lower($3)";
  const pqxx::result r =
      tx.exec_params(kMemberColumns + kMembersFrom + where, tenant_id, std::optional<std::string>(),
                     id ? *id : std::string(user_ref));
  if (r.empty()) return std::nullopt;
  return read_member(r[0]);
}

std::vector<std::string> tenant_path_ids(std::string_view ltree_path) {
  return path_ids(ltree_path);
}

std::vector<tenant_path> membership_paths(pqxx::connection& conn, const std::string& user_id) {
  std::vector<tenant_path> out;
  if (!canonical_uuid(user_id)) return out;
  pqxx::nontransaction tx(conn);
  for (const auto& r : tx.exec_params(kMembershipPaths, user_id)) out.push_back(read_path(r));
  return out;
}

}  // namespace tenantry
