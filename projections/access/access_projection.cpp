#include "projections/access/access_projection.hpp"

#include <type_traits>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Every statement is idempotent on replay of the same event (ON CONFLICT, or versions).
const std::string kRoleDefined = "access_role_defined";
const std::string kRoleDefinedSql =
    "INSERT INTO roles (id, tenant_id, name, description, permissions, version, created_at,"
    " updated_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5::text[], $6, $7::timestamptz,"
    " $7::timestamptz) ON CONFLICT (id) DO NOTHING";
const std::string kRoleChanged = "access_role_changed";
const std::string kRoleChangedSql =
    "UPDATE roles SET name = $2, description = $3, permissions = $4::text[], version = $5,"
    " updated_at = $6::timestamptz WHERE id = $1::uuid";
const std::string kRoleDeleted = "access_role_deleted";
const std::string kRoleDeletedSql =
    "UPDATE roles SET is_deleted = true, version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid";
const std::string kAssigned = "access_assigned";
const std::string kAssignedSql =
    "INSERT INTO role_assignments (id, tenant_id, principal_type, principal_id, role,"
    " expires_at, version, created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3, $4::uuid,"
    " $5, $6::timestamptz, $7, $8::timestamptz, $8::timestamptz) ON CONFLICT (id) DO NOTHING";
const std::string kRevoked = "access_revoked";
const std::string kRevokedSql =
    "UPDATE role_assignments SET is_revoked = true, revoked_at = $3::timestamptz, version = $2,"
    " updated_at = $3::timestamptz WHERE id = $1::uuid";
const std::string kMemberAdded = "access_member_added";
const std::string kMemberAddedSql =
    "INSERT INTO memberships (id, tenant_id, user_id, roles, version, created_at, updated_at)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text[], $5, $6::timestamptz, $6::timestamptz)"
    " ON CONFLICT (id) DO NOTHING";
const std::string kMemberChanged = "access_member_changed";
const std::string kMemberChangedSql =
    "UPDATE memberships SET roles = $2::text[], version = $3, updated_at = $4::timestamptz"
    " WHERE id = $1::uuid";
const std::string kMemberRemoved = "access_member_removed";
const std::string kMemberRemovedSql =
    "UPDATE memberships SET is_removed = true, version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid";

}  // namespace

void access_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kRoleDefined, kRoleDefinedSql);
  conn.prepare(kRoleChanged, kRoleChangedSql);
  conn.prepare(kRoleDeleted, kRoleDeletedSql);
  conn.prepare(kAssigned, kAssignedSql);
  conn.prepare(kRevoked, kRevokedSql);
  conn.prepare(kMemberAdded, kMemberAddedSql);
  conn.prepare(kMemberChanged, kMemberChangedSql);
  conn.prepare(kMemberRemoved, kMemberRemovedSql);
}

void access_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  const std::int64_t version = e.meta.aggregate_version;
  const std::string at = timestamp_param(e.meta.time);
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, role_defined>) {
      tx.exec_prepared(kRoleDefined, ev.id.value, ev.tenant.value, ev.name, ev.description,
                       array_literal(ev.permissions), version, at);
    } else if constexpr (std::is_same_v<T, role_changed>) {
      tx.exec_prepared(kRoleChanged, ev.id.value, ev.name, ev.description,
                       array_literal(ev.permissions), version, at);
    } else if constexpr (std::is_same_v<T, role_deleted>) {
      tx.exec_prepared(kRoleDeleted, ev.id.value, version, at);
    } else if constexpr (std::is_same_v<T, role_assigned>) {
      const std::optional<std::string> expires =
          ev.expires_at ? std::optional(timestamp_param(*ev.expires_at)) : std::nullopt;
      tx.exec_prepared(kAssigned, ev.id.value, ev.tenant.value, ev.principal_type, ev.principal_id,
                       ev.role, expires, version, at);
    } else if constexpr (std::is_same_v<T, role_assignment_revoked>) {
      tx.exec_prepared(kRevoked, ev.id.value, version, at);
    } else if constexpr (std::is_same_v<T, member_added>) {
      tx.exec_prepared(kMemberAdded, ev.id.value, ev.tenant.value, ev.user.value,
                       array_literal(ev.roles), version, at);
    } else if constexpr (std::is_same_v<T, member_changed>) {
      tx.exec_prepared(kMemberChanged, ev.id.value, array_literal(ev.roles), version, at);
    } else if constexpr (std::is_same_v<T, member_removed>) {
      tx.exec_prepared(kMemberRemoved, ev.id.value, version, at);
    } else {
      static_assert(unhandled<T>, "an access event the access read model does not apply");
    }
  });
}

}  // namespace tenantry
