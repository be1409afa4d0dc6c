#include "projections/object_queries.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "projections/access/access_queries.hpp"
#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Each kind's lookup: by id ($1, a UUID or NULL) or by slug ($2, NULL when the ref is an
// id or the kind has no slug); answers the object's id, its tenant's path (NULL: the
// platform), whether it is live, and its party's email (NULL: none).
struct kind_query {
  std::string_view kind;
  bool has_slug;
  const char* sql;
};

constexpr kind_query kinds[] = {
    {"tenant", true,
     "SELECT t.id::text, t.path::text, NOT t.is_deleted, NULL::text FROM tenants t"
     " WHERE t.id = $1::uuid OR t.slug = $2"},
    {"group", true,
     "SELECT g.id::text, t.path::text, NOT g.is_deleted AND (t.id IS NULL OR NOT t.is_deleted),"
     " NULL::text"
     " FROM groups g LEFT JOIN tenants t ON t.id = g.tenant_id"
     " WHERE g.id = $1::uuid OR g.slug = $2"},
    // A revoked grant is still there (revoking it again is a conflict, not a 404). $2 is
    // always NULL: PostgreSQL needs every parameter typed.
    {"grant", false,
     "SELECT p.id::text, t.path::text, t.id IS NULL OR NOT t.is_deleted, NULL::text"
     " FROM permission_grants p LEFT JOIN tenants t ON t.id = p.tenant_id"
     " WHERE p.id = $1::uuid AND $2::text IS NULL"},
    // Answered, revoked and expired invitations are still there (a conflict, not a 404);
    // the invitee is the party.
    {"invitation", false,
     "SELECT i.id::text, t.path::text, NOT t.is_deleted, i.invitee"
     " FROM invitations i JOIN tenants t ON t.id = i.tenant_id"
     " WHERE i.id = $1::uuid AND $2::text IS NULL"},
    // Revoked and expired API tokens are still there (listed; revoking again is a conflict).
    {"token", false,
     "SELECT k.id::text, t.path::text, NOT t.is_deleted, NULL::text"
     " FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id"
     " WHERE k.id = $1::uuid AND $2::text IS NULL"},
};

}  // namespace

std::optional<object_owner> find_object_owner(pqxx::connection& conn, std::string_view kind,
                                              std::string_view ref) {
  for (const kind_query& k : kinds) {
    if (k.kind != kind) continue;
    const auto id = canonical_uuid(ref);
    std::optional<std::string> slug;
    if (!id && k.has_slug) slug = std::string(ref);
    if (!id && !slug) return std::nullopt;
    pqxx::nontransaction tx(conn);
    const pqxx::result r = tx.exec_params(k.sql, id, slug);
    if (r.empty() || !r[0][2].as<bool>()) return std::nullopt;
    object_owner out{std::string(kind), r[0][0].as<std::string>(), {}};
    if (!r[0][1].is_null()) out.path = tenant_path_ids(r[0][1].as<std::string>());
    if (!r[0][3].is_null()) out.party = r[0][3].as<std::string>();
    return out;
  }
  return std::nullopt;
}

}  // namespace tenantry
