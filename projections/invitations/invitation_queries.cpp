#include "projections/invitations/invitation_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry {
namespace {

// $1 is the time the status is judged at.
const std::string kStatus =
    "CASE WHEN i.status = 'pending' AND i.expires_at <= $1::timestamptz THEN 'expired'"
    " ELSE i.status END";
const std::string kColumns =
    "SELECT i.id::text, i.tenant_id::text, i.invitee, i.roles,"
    " ARRAY(SELECT coalesce(cr.name, r.role) FROM unnest(i.roles) WITH ORDINALITY AS r(role, n)"
    " LEFT JOIN roles cr ON cr.id::text = r.role ORDER BY r.n),"
    " i.permissions, " +
    kStatus + ", i.token_hash, " + millis("i.expires_at") +
    ", i.invited_by::text, i.answered_by::text, " + millis("i.answered_at") + ", i.version, " +
    millis("i.created_at") + ", " + millis("i.updated_at");
const std::string kVisible =
    " FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE NOT t.is_deleted";
const std::string kFind = kColumns + kVisible + " AND i.id = $2::uuid";
const std::string kListWhere = kVisible +
                               " AND ($2::uuid IS NULL OR i.tenant_id = $2::uuid)"
                               " AND ($3::text IS NULL OR i.invitee = $3::text)"
                               " AND ($4::text IS NULL OR " +
                               kStatus + " = $4::text)";

invitation_row read_invitation(const pqxx::row& r) {
  invitation_row out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.invitee = r[2].as<std::string>();
  out.roles = parse_text_array(r[3].c_str());
  out.role_names = parse_text_array(r[4].c_str());
  out.permissions = parse_text_array(r[5].c_str());
  out.status = r[6].as<std::string>();
  out.token_hash = r[7].as<std::string>();
  out.expires_at = timestamp_from_millis(r[8].as<std::int64_t>());
  out.invited_by = r[9].as<std::string>();
  if (!r[10].is_null()) out.answered_by = r[10].as<std::string>();
  out.answered_at = optional_millis(r[11]);
  out.version = r[12].as<std::int64_t>();
  out.created_at = timestamp_from_millis(r[13].as<std::int64_t>());
  out.updated_at = timestamp_from_millis(r[14].as<std::int64_t>());
  return out;
}

}  // namespace

std::optional<invitation_row> find_invitation(pqxx::connection& conn, std::string_view id,
                                              timestamp now) {
  const auto canonical = canonical_uuid(id);
  if (!canonical) return std::nullopt;
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(kFind, timestamp_param(now), *canonical);
  if (r.empty()) return std::nullopt;
  return read_invitation(r[0]);
}

invitation_page list_invitations(pqxx::connection& conn, const invitation_filter& f) {
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  const std::int64_t offset = offset_of(f.page, page_size);
  const std::string order =
      f.newest_first ? " ORDER BY i.created_at DESC, i.id DESC" : " ORDER BY i.created_at, i.id";
  const std::string now = timestamp_param(f.now);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  invitation_page out;
  out.count =
      tx.exec_params1("SELECT count(*)" + kListWhere, now, f.tenant_id, f.invitee, f.status)[0]
          .as<std::int64_t>();
  for (const auto& r : tx.exec_params(kColumns + kListWhere + order + " LIMIT $5 OFFSET $6", now,
                                      f.tenant_id, f.invitee, f.status, page_size, offset))
    out.rows.push_back(read_invitation(r));
  tx.commit();
  return out;
}

}  // namespace tenantry
