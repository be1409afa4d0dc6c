#include "projections/tokens/token_queries.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry {
namespace {

const std::string kCredential = "token_credential";
const std::string kCredentialFrom =
    "SELECT k.id::text, k.tenant_id::text, k.created_by::text, k.scopes, " +
    millis("k.expires_at") +
    ", k.is_revoked, u.platform_roles, u.is_active"
    " FROM api_tokens k JOIN users u ON u.id = k.created_by"
    " JOIN tenants t ON t.id = k.tenant_id AND NOT t.is_deleted";
const std::string kCredentialSql = kCredentialFrom + " WHERE k.secret_hash = $1";
const std::string kCredentialById = kCredentialFrom + " WHERE k.id = $1::uuid";

const std::string kColumns =
    "SELECT k.id::text, k.tenant_id::text, k.created_by::text, k.name, k.description, k.prefix,"
    " k.scopes, " +
    millis("k.expires_at") + ", k.is_revoked, " + millis("k.revoked_at") +
    ", k.revoked_reason, k.version, " + millis("k.created_at") + ", " + millis("k.updated_at");
// $2: status (NULL: all), $3: name pattern (NULL: all), $4: now.
const std::string kListFrom =
    " FROM api_tokens k WHERE k.tenant_id = $1::uuid"
    " AND ($2::text IS NULL"
    " OR ($2::text = 'revoked' AND k.is_revoked)"
    " OR ($2::text = 'expired' AND NOT k.is_revoked AND k.expires_at <= $4::timestamptz)"
    " OR ($2::text = 'active' AND NOT k.is_revoked AND k.expires_at > $4::timestamptz))"
    " AND ($3::text IS NULL OR lower(k.name) LIKE lower($3::text))";
const std::string kFind =
    kColumns + " FROM api_tokens k WHERE k.tenant_id = $1::uuid AND k.id = $2::uuid";

const std::string kWithin =
    "SELECT c.id::text FROM tenants r JOIN tenants c ON c.path <@ r.path"
    " WHERE r.id = $1::uuid AND c.id = ANY($2::uuid[])";

token_row read_token(const pqxx::row& r) {
  token_row out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.created_by = r[2].as<std::string>();
  out.name = r[3].as<std::string>();
  out.description = r[4].as<std::string>();
  out.prefix = r[5].as<std::string>();
  out.scopes = parse_text_array(r[6].c_str());
  out.expires_at = timestamp_from_millis(r[7].as<std::int64_t>());
  out.is_revoked = r[8].as<bool>();
  out.revoked_at = optional_millis(r[9]);
  if (!r[10].is_null()) out.revoked_reason = r[10].as<std::string>();
  out.version = r[11].as<std::int64_t>();
  out.created_at = timestamp_from_millis(r[12].as<std::int64_t>());
  out.updated_at = timestamp_from_millis(r[13].as<std::int64_t>());
  return out;
}

token_credential read_credential(const pqxx::row& r) {
  token_credential out;
  out.id = r[0].as<std::string>();
  out.tenant_id = r[1].as<std::string>();
  out.created_by = r[2].as<std::string>();
  out.scopes = parse_text_array(r[3].c_str());
  out.expires_at = timestamp_from_millis(r[4].as<std::int64_t>());
  out.is_revoked = r[5].as<bool>();
  out.creator_platform_roles = parse_text_array(r[6].c_str());
  out.creator_active = r[7].as<bool>();
  return out;
}

}  // namespace

std::optional<token_credential> find_token_credential(pqxx::connection& conn,
                                                      const std::string& secret_hash) {
  conn.prepare(kCredential, kCredentialSql);  // registered once per connection
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_prepared(kCredential, secret_hash);
  if (r.empty()) return std::nullopt;
  return read_credential(r[0]);
}

std::optional<token_credential> find_token_credential_by_id(pqxx::connection& conn,
                                                            std::string_view token_id) {
  const auto id = canonical_uuid(token_id);
  if (!id) return std::nullopt;
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(kCredentialById, *id);
  if (r.empty()) return std::nullopt;
  return read_credential(r[0]);
}

token_page list_tokens(pqxx::connection& conn, const token_filter& f) {
  token_page out;
  const auto tenant = canonical_uuid(f.tenant_id);
  if (!tenant) return out;
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  const std::int64_t offset = offset_of(f.page, page_size);
  std::optional<std::string> pattern;
  if (!f.search.empty()) pattern = contains_pattern(f.search);
  const std::string now = timestamp_param(f.now);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  out.count = tx.exec_params1("SELECT count(*)" + kListFrom, *tenant, f.status, pattern, now)[0]
                  .as<std::int64_t>();
  for (const auto& r : tx.exec_params(
           kColumns + kListFrom + " ORDER BY k.created_at DESC, k.id DESC LIMIT $5 OFFSET $6",
           *tenant, f.status, pattern, now, page_size, offset))
    out.rows.push_back(read_token(r));
  tx.commit();
  return out;
}

std::optional<token_row> find_token(pqxx::connection& conn, const std::string& tenant_id,
                                    std::string_view token_id) {
  const auto id = canonical_uuid(token_id);
  if (!id) return std::nullopt;
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(kFind, tenant_id, *id);
  if (r.empty()) return std::nullopt;
  return read_token(r[0]);
}

std::vector<std::string> tenants_within(pqxx::connection& conn, const std::string& tenant_id,
                                        const std::vector<std::string>& candidates) {
  std::vector<std::string> ids;
  for (const auto& c : candidates)
    if (auto id = canonical_uuid(c)) ids.push_back(std::move(*id));
  std::vector<std::string> out;
  if (ids.empty() || !canonical_uuid(tenant_id)) return out;
  pqxx::nontransaction tx(conn);
  for (const auto& r : tx.exec_params(kWithin, tenant_id, array_literal(ids)))
    out.push_back(r[0].as<std::string>());
  return out;
}

}  // namespace tenantry
