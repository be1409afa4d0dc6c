#include "projections/invitations/invitation_projection.hpp"

#include <type_traits>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

// Every statement is idempotent on replay of the same event (ON CONFLICT, or versions).
const std::string kSent = "invitation_sent";
const std::string kSentSql =
    "INSERT INTO invitations (id, tenant_id, invitee, roles, permissions, token_hash,"
    " expires_at, invited_by, version, created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3,"
    " $4::text[], $5::text[], $6, $7::timestamptz, $8::uuid, $9, $10::timestamptz,"
    " $10::timestamptz) ON CONFLICT (id) DO NOTHING";
const std::string kAnswered = "invitation_answered";
const std::string kAnsweredSql =
    "UPDATE invitations SET status = $2, answered_by = $3::uuid, answered_at = $5::timestamptz,"
    " version = $4, updated_at = $5::timestamptz WHERE id = $1::uuid";
const std::string kClosed = "invitation_closed";
const std::string kClosedSql =
    "UPDATE invitations SET status = $2, version = $3, updated_at = $4::timestamptz"
    " WHERE id = $1::uuid";

}  // namespace

void invitation_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kSent, kSentSql);
  conn.prepare(kAnswered, kAnsweredSql);
  conn.prepare(kClosed, kClosedSql);
}

void invitation_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  const std::int64_t version = e.meta.aggregate_version;
  const std::string at = timestamp_param(e.meta.time);
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, invitation_sent>) {
      tx.exec_prepared(kSent, ev.id.value, ev.tenant.value, ev.invitee, array_literal(ev.roles),
                       array_literal(ev.permissions), ev.token_hash, timestamp_param(ev.expires_at),
                       ev.invited_by.value, version, at);
    } else if constexpr (std::is_same_v<T, invitation_accepted>) {
      tx.exec_prepared(kAnswered, ev.id.value, "accepted", ev.user.value, version, at);
    } else if constexpr (std::is_same_v<T, invitation_declined>) {
      const std::optional<std::string> user =
          ev.user ? std::optional(ev.user->value) : std::nullopt;
      tx.exec_prepared(kAnswered, ev.id.value, "declined", user, version, at);
    } else if constexpr (std::is_same_v<T, invitation_revoked>) {
      tx.exec_prepared(kClosed, ev.id.value, "revoked", version, at);
    } else if constexpr (std::is_same_v<T, invitation_expired>) {
      tx.exec_prepared(kClosed, ev.id.value, "expired", version, at);
    } else {
      static_assert(unhandled<T>, "an invitation event the read model does not apply");
    }
  });
}

}  // namespace tenantry
