#pragma once
// What a client asks of users and their sessions, as plain data. A user is named by a ref:
// its id or its email.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/ids.hpp"
#include "events/variants.hpp"

namespace tenantry {

struct register_user {
  std::string email;
  std::string name;
  std::string password_hash;  // already argon2id-hashed by the caller
  std::vector<std::string> platform_roles;
  // The bootstrap admin: registered only while no user exists at all, else a no-op.
  bool only_if_first = false;
};

// Reads a user's credentials through the writer (no events): login verifies the password
// off the writer thread, then starts a session.
struct lookup_credentials {
  std::string email;
};

struct start_session {
  user_id user;
  std::string token_hash;
  timestamp expires_at;
  // The user's auth generation when its password was verified: a change since (a new
  // password, a deactivation) refuses the login.
  std::optional<std::int64_t> generation = std::nullopt;
};

struct refresh_session {
  std::string presented_hash;
  std::string new_hash;
  timestamp expires_at;
  // The family's absolute lifetime from its login (TENANTRY_REFRESH_FAMILY_TTL).
  std::chrono::seconds family_lifetime = std::chrono::hours(24 * 30);
};

// PUT (email and name given) or PATCH of a user; an absent field is unchanged.
struct update_user {
  std::string ref;
  std::optional<std::string> email = std::nullopt;
  std::optional<std::string> name = std::nullopt;
  std::optional<std::vector<std::string>> platform_roles = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// A PATCH of a user's profile: an absent field is unchanged, "" clears it.
struct change_user_profile {
  std::string ref;
  std::optional<std::string> display_name = std::nullopt, locale = std::nullopt,
                             timezone = std::nullopt, phone = std::nullopt,
                             avatar_url = std::nullopt, job_title = std::nullopt,
                             bio = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// Deactivate (active = false) or activate a user.
struct change_user_activation {
  std::string ref;
  bool active = false;
  std::string reason;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct delete_user {
  std::string ref;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct restore_user {
  std::string ref;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// Erases a deleted user for good: their data key is destroyed (docs/privacy.md).
struct erase_user {
  std::string ref;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct change_password {
  std::string ref;
  std::string password_hash;  // the new password, already argon2id-hashed by the caller
  // Set when the caller proved it knew the current password: the stored hash it verified.
  // Refused when the password changed in between.
  std::optional<std::string> verified_hash = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// After a login proved the password: its hash again with the current parameters, kept
// only while the user's hash is still `verified_hash`.
struct upgrade_password_hash {
  user_id user;
  std::string verified_hash;
  std::string new_hash;
};

// Registration and sessions (refresh-token families).
using user_account_command =
    std::variant<register_user, start_session, refresh_session, upgrade_password_hash>;
// The user lifecycle: updates, profile, activation, soft delete, restore and erasure,
// passwords.
using user_lifecycle_command =
    std::variant<update_user, change_user_profile, change_user_activation, delete_user,
                 restore_user, erase_user, change_password>;
// Every command of the users resource; a lookup decides nothing.
using user_command =
    join_variants_t<std::variant<lookup_credentials>, user_account_command, user_lifecycle_command>;

}  // namespace tenantry
