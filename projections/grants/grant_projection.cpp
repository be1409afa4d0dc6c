#include "projections/grants/grant_projection.hpp"

#include <type_traits>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Every statement is idempotent on replay of the same event (ON CONFLICT, or versions).
const std::string kGranted = "grant_created";
const std::string kGrantedSql =
    "INSERT INTO permission_grants (id, principal_type, principal_id, permission, object_type,"
    " object_id, tenant_id, version, created_at, updated_at) VALUES ($1::uuid, $2, $3::uuid, $4,"
    " $5, $6::uuid, $7::uuid, $8, $9::timestamptz, $9::timestamptz) ON CONFLICT (id) DO NOTHING";
const std::string kRevoked = "grant_revoked";
const std::string kRevokedSql =
    "UPDATE permission_grants SET is_revoked = true, revoked_at = $3::timestamptz, version = $2,"
    " updated_at = $3::timestamptz WHERE id = $1::uuid";

}  // namespace

void grant_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kGranted, kGrantedSql);
  conn.prepare(kRevoked, kRevokedSql);
}

void grant_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  const std::int64_t version = e.meta.aggregate_version;
  const std::string at = timestamp_param(e.meta.time);
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, permission_granted>) {
      tx.exec_prepared(kGranted, ev.id.value, ev.principal_type, ev.principal_id, ev.permission,
                       ev.object_type, ev.object_id, id_or_null(ev.tenant), version, at);
    } else if constexpr (std::is_same_v<T, permission_revoked>) {
      tx.exec_prepared(kRevoked, ev.id.value, version, at);
    } else {
      static_assert(unhandled<T>, "a grant event the grants read model does not apply");
    }
  });
}

}  // namespace tenantry
