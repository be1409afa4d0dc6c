#include "projections/tokens/token_projection.hpp"

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Both statements are idempotent on replay of the same event.
const std::string kIssued = "token_issued";
const std::string kIssuedSql =
    "INSERT INTO api_tokens (id, tenant_id, created_by, name, description, scopes, secret_hash,"
    " prefix, expires_at, version, created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3::uuid,"
    " $4, $5, $6::text[], $7, $8, $9::timestamptz, $10, $11::timestamptz, $11::timestamptz)"
    " ON CONFLICT (id) DO NOTHING";
const std::string kRevoked = "token_revoked";
const std::string kRevokedSql =
    "UPDATE api_tokens SET is_revoked = true, revoked_at = $3::timestamptz, revoked_reason = $4,"
    " version = $2, updated_at = $3::timestamptz WHERE id = $1::uuid";

}  // namespace

void token_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kIssued, kIssuedSql);
  conn.prepare(kRevoked, kRevokedSql);
}

void token_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  const std::int64_t version = e.meta.aggregate_version;
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, token_issued>)
      tx.exec_prepared(kIssued, ev.id.value, ev.tenant.value, ev.created_by.value, ev.name,
                       ev.description, array_literal(ev.scopes), ev.secret_hash, ev.prefix,
                       timestamp_param(ev.expires_at), version, timestamp_param(e.meta.time));
    else if constexpr (std::is_same_v<T, token_revoked>)
      tx.exec_prepared(kRevoked, ev.id.value, version, timestamp_param(e.meta.time), ev.reason);
    else
      static_assert(unhandled<T>, "a token event the tokens read model does not apply");
  });
}

}  // namespace tenantry
