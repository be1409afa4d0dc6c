#include "projections/users/user_projection.hpp"

#include <optional>
#include <type_traits>

#include "events/privacy/personal_fields.hpp"
#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {

namespace {

// Each user's platform roles travel as one text[] literal inside the text[] parameter.
const std::string kInsertRegistered =
    "INSERT INTO users (id, email, name, platform_roles, is_active, version, created_at,"
    " updated_at)"
    " SELECT x.id, x.email, x.name, x.roles::text[], true, x.version, x.at, x.at"
    " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[],"
    " $6::timestamptz[]) AS x(id, email, name, roles, version, at)";

// The lifecycle, one statement per event; each sets the row's version and updated_at
// ($2, $3), so a replayed event writes the same row again.
const std::string kUpdated = "user_updated";
const std::string kUpdatedSql =
    "UPDATE users SET email = $4, name = $5, platform_roles = $6::text[], version = $2,"
    " updated_at = $3::timestamptz WHERE id = $1::uuid";
const std::string kProfileChanged = "user_profile_changed";
const std::string kProfileChangedSql =
    "UPDATE users SET display_name = $4, locale = $5, timezone = $6, phone = $7,"
    " avatar_url = $8, job_title = $9, bio = $10, version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid";
const std::string kActivation = "user_activation";
const std::string kActivationSql =
    "UPDATE users SET is_active = $4, auth_generation = auth_generation + $5, version = $2,"
    " updated_at = $3::timestamptz WHERE id = $1::uuid AND version < $2";
const std::string kDeletion = "user_deletion";
const std::string kDeletionSql =
    "UPDATE users SET is_deleted = $4, deleted_at = CASE WHEN $4 THEN $3::timestamptz END,"
    " auth_generation = auth_generation + $5, version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid AND version < $2";
// Scrubs everything the row copied of the person, and the address of the invitations sent
// to them, which the invitations read model copied (both from the row as it was: every
// part of one statement sees the same snapshot). Rebuilds write the same: their events
// open as erased.
const std::string kErasure = "user_erasure";
const std::string kErasureSql =
    "WITH before AS (SELECT email FROM users WHERE id = $1::uuid),"
    " invitations_sent AS (UPDATE invitations SET invitee = '' WHERE invitee <> ''"
    " AND invitee = (SELECT email FROM before))"
    " UPDATE users SET email = '', name = '" +
    std::string(erased_name) +
    "', display_name = '',"
    " locale = '', timezone = '', phone = '', avatar_url = '', job_title = '', bio = '',"
    " is_erased = true, version = $2, updated_at = $3::timestamptz WHERE id = $1::uuid";
const std::string kPasswordChanged = "user_password_changed";
const std::string kPasswordChangedSql =
    "UPDATE users SET auth_generation = auth_generation + 1, version = $2,"
    " updated_at = $3::timestamptz WHERE id = $1::uuid AND version < $2";
const std::string kPasswordRehashed = "user_password_rehashed";
const std::string kPasswordRehashedSql =
    "UPDATE users SET version = $2, updated_at = $3::timestamptz"
    " WHERE id = $1::uuid AND version < $2";

}  // namespace

void user_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kUpdated, kUpdatedSql);
  conn.prepare(kProfileChanged, kProfileChangedSql);
  conn.prepare(kActivation, kActivationSql);
  conn.prepare(kDeletion, kDeletionSql);
  conn.prepare(kErasure, kErasureSql);
  conn.prepare(kPasswordChanged, kPasswordChangedSql);
  conn.prepare(kPasswordRehashed, kPasswordRehashedSql);
}

template <class T>
void user_projection::apply_lifecycle(pqxx::transaction_base& tx, const T& ev, std::int64_t version,
                                      const std::string& at) {
  const std::string& id = ev.id.value;
  if constexpr (std::is_same_v<T, user_updated>) {
    tx.exec_prepared(kUpdated, id, version, at, ev.email, ev.name,
                     array_literal(ev.platform_roles));
  } else if constexpr (std::is_same_v<T, user_profile_changed>) {
    const user_profile& p = ev.profile;
    tx.exec_prepared(kProfileChanged, id, version, at, p.display_name, p.locale, p.timezone,
                     p.phone, p.avatar_url, p.job_title, p.bio);
  } else if constexpr (std::is_same_v<T, user_deactivated>) {
    tx.exec_prepared(kActivation, id, version, at, false, 1);
  } else if constexpr (std::is_same_v<T, user_activated>) {
    tx.exec_prepared(kActivation, id, version, at, true, 0);
  } else if constexpr (std::is_same_v<T, user_deleted>) {
    tx.exec_prepared(kDeletion, id, version, at, true, 1);
  } else if constexpr (std::is_same_v<T, user_restored>) {
    tx.exec_prepared(kDeletion, id, version, at, false, 0);
  } else if constexpr (std::is_same_v<T, user_erased>) {
    tx.exec_prepared(kErasure, id, version, at);
  } else if constexpr (std::is_same_v<T, user_password_changed>) {
    tx.exec_prepared(kPasswordChanged, id, version, at);
  } else if constexpr (std::is_same_v<T, user_password_rehashed>) {
    tx.exec_prepared(kPasswordRehashed, id, version, at);  // the hash stays in the log only
  } else {
    static_assert(unhandled<T>, "a user lifecycle event the users read model does not apply");
  }
}

void user_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  visit_within<reads>(e.data, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, user_registered>) {
      registered_.push_back({ev, e.meta.aggregate_version, e.meta.time});
    } else if constexpr (is_alternative_v<T, user_lifecycle_event>) {
      flush(tx);  // the user's row must exist first
      apply_lifecycle(tx, ev, e.meta.aggregate_version, timestamp_param(e.meta.time));
    } else if constexpr (is_alternative_v<T, session_event>) {
      return;  // sessions have no read model: only their hashes are in the log
    } else {
      static_assert(unhandled<T>, "a user event the users read model does not apply");
    }
  });
}

void user_projection::flush(pqxx::transaction_base& tx) {
  if (registered_.empty()) return;
  using column = std::vector<std::optional<std::string>>;
  column id, email, name, roles, version, at;
  for (const pending_registration& r : registered_) {
    id.push_back(r.data.id.value);
    email.push_back(r.data.email);
    name.push_back(r.data.name);
    roles.push_back(array_literal(r.data.platform_roles));
    version.push_back(std::to_string(r.version));
    at.push_back(timestamp_param(r.time));
  }
  tx.exec_params(kInsertRegistered, array_literal(id), array_literal(email), array_literal(name),
                 array_literal(roles), array_literal(version), array_literal(at));
  registered_.clear();
}

}  // namespace tenantry
