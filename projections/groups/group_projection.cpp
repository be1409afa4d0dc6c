#include "projections/groups/group_projection.hpp"

#include <type_traits>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Every statement is idempotent on replay of the same event (ON CONFLICT, or versions).
const std::string kCreated = "group_created";
const std::string kCreatedSql =
    "INSERT INTO groups (id, tenant_id, slug, name, description, version, created_at,"
    " updated_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz)"
    " ON CONFLICT (id) DO NOTHING";
const std::string kUpdated = "group_updated";
const std::string kUpdatedSql =
    "UPDATE groups SET name = coalesce($2, name), description = coalesce($3, description),"
    " slug = coalesce($4, slug), version = $5, updated_at = $6::timestamptz WHERE id = $1::uuid";
const std::string kDeleted = "group_deleted";
const std::string kDeletedSql =
    "UPDATE groups SET is_deleted = true, version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid";
const std::string kTouched = "group_touched";
const std::string kTouchedSql =
    "UPDATE groups SET version = $2, updated_at = $3::timestamptz WHERE id = $1::uuid";
const std::string kMemberAdded = "group_member_added";
const std::string kMemberAddedSql =
    "INSERT INTO group_members (group_id, user_id, added_at) VALUES ($1::uuid, $2::uuid,"
    " $3::timestamptz) ON CONFLICT DO NOTHING";
const std::string kMemberRemoved = "group_member_removed";
const std::string kMemberRemovedSql =
    "DELETE FROM group_members WHERE group_id = $1::uuid AND user_id = $2::uuid";
}  // namespace

void group_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kCreated, kCreatedSql);
  conn.prepare(kUpdated, kUpdatedSql);
  conn.prepare(kDeleted, kDeletedSql);
  conn.prepare(kTouched, kTouchedSql);
  conn.prepare(kMemberAdded, kMemberAddedSql);
  conn.prepare(kMemberRemoved, kMemberRemovedSql);
}

void group_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  const std::int64_t version = e.meta.aggregate_version;
  const std::string at = timestamp_param(e.meta.time);
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, group_created>) {
      tx.exec_prepared(kCreated, ev.id.value, id_or_null(ev.tenant), ev.slug, ev.name,
                       ev.description, version, at);
    } else if constexpr (std::is_same_v<T, group_updated>) {
      tx.exec_prepared(kUpdated, ev.id.value, ev.name, ev.description, ev.slug, version, at);
    } else if constexpr (std::is_same_v<T, group_deleted>) {
      tx.exec_prepared(kDeleted, ev.id.value, version, at);
    } else if constexpr (std::is_same_v<T, group_member_added>) {
      tx.exec_prepared(kMemberAdded, ev.id.value, ev.user.value, at);
      tx.exec_prepared(kTouched, ev.id.value, version, at);
    } else if constexpr (std::is_same_v<T, group_member_removed>) {
      tx.exec_prepared(kMemberRemoved, ev.id.value, ev.user.value);
      tx.exec_prepared(kTouched, ev.id.value, version, at);
    } else {
      static_assert(unhandled<T>, "a group event the groups read model does not apply");
    }
  });
}

}  // namespace tenantry
