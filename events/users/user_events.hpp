#pragma once
// Facts about users and their login sessions (refresh-token families).

#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/event_contract.hpp"
#include "events/ids.hpp"
#include "events/variants.hpp"

namespace tenantry {

struct user_registered {
  user_id id;
  std::string email;  // lowercased
  std::string name;
  std::string password_hash;  // argon2id, encoded (libsodium crypto_pwhash_str)
  std::vector<std::string> platform_roles;
};

// A login: the first refresh token of a new family. Only hashes are ever recorded.
struct session_started {
  session_id id;
  user_id user;
  std::string token_hash;
  timestamp expires_at;
};

// Rotation: the family's previous refresh token stops working, this one replaces it.
struct session_refreshed {
  session_id id;
  std::string token_hash;
  timestamp expires_at;
};

// reason: "reuse_detected" (a rotated token came back), "logout", "user_deleted",
// "user_deactivated", "password_changed".
struct session_revoked {
  session_id id;
  std::string reason;
};

// What a SaaS shows about a person besides its name and email; "" is unset.
struct user_profile {
  std::string display_name;
  std::string locale;    // BCP 47, e.g. "en-GB"
  std::string timezone;  // IANA, e.g. "Europe/Paris"
  std::string phone;     // E.164, e.g. "+33123456789"
  std::string avatar_url;
  std::string job_title;
  std::string bio;
  bool operator==(const user_profile&) const = default;
};

// A PUT or PATCH of a user: its email (lowercased), name and platform roles afterwards.
struct user_updated {
  user_id id;
  std::string email;
  std::string name;
  std::vector<std::string> platform_roles;
};

// The whole profile after a PATCH of /profile.
struct user_profile_changed {
  user_id id;
  user_profile profile;
};

// The user can no longer sign in nor use its tokens, until activated again.
struct user_deactivated {
  user_id id;
  std::string reason;
};

struct user_activated {
  user_id id;
  std::string reason;
};

// A soft delete: the user keeps everything (and its email stays reserved) until restored.
struct user_deleted {
  user_id id;
};

struct user_restored {
  user_id id;
};

// The person is erased (GDPR art. 17): their data key was destroyed before this event
// committed, so every personal field of their earlier events opens as erased. Final: a
// deleted user only, never restored again.
struct user_erased {
  user_id id;
  // The address at erasure: the log's sealing finds the key of the invitations sent to it
  // by it, then blanks it ("") before the event is appended (docs/privacy.md).
  std::string email;
};

// Every earlier access token and refresh-token family of the user stops working.
struct user_password_changed {
  user_id id;
  std::string password_hash;  // argon2id, encoded
};

// The same password, hashed again with the server's current argon2id parameters after a
// login proved it: nobody's access changes.
struct user_password_rehashed {
  user_id id;
  std::string password_hash;  // argon2id, encoded
};

// The events of a user's life after its registration.
using user_lifecycle_event =
    std::variant<user_updated, user_profile_changed, user_deactivated, user_activated, user_deleted,
                 user_restored, user_erased, user_password_changed, user_password_rehashed>;
// The events of login sessions (refresh-token families), aggregates of their own.
using session_event = std::variant<session_started, session_refreshed, session_revoked>;
// The events of the users resource: registrations, sessions and the user lifecycle.
using user_event =
    join_variants_t<std::variant<user_registered>, session_event, user_lifecycle_event>;

template <>
struct event_contract<user_registered> {
  static constexpr std::string_view type = "tenantry.user.registered.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_registered::id), field("email", &user_registered::email),
                 field("name", &user_registered::name),
                 field("password_hash", &user_registered::password_hash),
                 field("platform_roles", &user_registered::platform_roles)};
};

template <>
struct event_contract<session_started> {
  static constexpr std::string_view type = "tenantry.session.started.v1";
  static constexpr std::string_view aggregate = "session";
  static constexpr auto fields =
      std::tuple{field("id", &session_started::id), field("user", &session_started::user),
                 field("token_hash", &session_started::token_hash),
                 field("expires_at", &session_started::expires_at)};
};

template <>
struct event_contract<session_refreshed> {
  static constexpr std::string_view type = "tenantry.session.refreshed.v1";
  static constexpr std::string_view aggregate = "session";
  static constexpr auto fields = std::tuple{field("id", &session_refreshed::id),
                                            field("token_hash", &session_refreshed::token_hash),
                                            field("expires_at", &session_refreshed::expires_at)};
};

template <>
struct event_contract<session_revoked> {
  static constexpr std::string_view type = "tenantry.session.revoked.v1";
  static constexpr std::string_view aggregate = "session";
  static constexpr auto fields =
      std::tuple{field("id", &session_revoked::id), field("reason", &session_revoked::reason)};
};

template <>
struct event_contract<user_updated> {
  static constexpr std::string_view type = "tenantry.user.updated.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields = std::tuple{
      field("id", &user_updated::id), field("email", &user_updated::email),
      field("name", &user_updated::name), field("platform_roles", &user_updated::platform_roles)};
};

template <>
struct event_contract<user_profile_changed> {
  static constexpr std::string_view type = "tenantry.user.profile_changed.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_profile_changed::id),
                 field("display_name", &user_profile_changed::profile, &user_profile::display_name),
                 field("locale", &user_profile_changed::profile, &user_profile::locale),
                 field("timezone", &user_profile_changed::profile, &user_profile::timezone),
                 field("phone", &user_profile_changed::profile, &user_profile::phone),
                 field("avatar_url", &user_profile_changed::profile, &user_profile::avatar_url),
                 field("job_title", &user_profile_changed::profile, &user_profile::job_title),
                 field("bio", &user_profile_changed::profile, &user_profile::bio)};
};

template <>
struct event_contract<user_deactivated> {
  static constexpr std::string_view type = "tenantry.user.deactivated.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_deactivated::id), field("reason", &user_deactivated::reason)};
};

template <>
struct event_contract<user_activated> {
  static constexpr std::string_view type = "tenantry.user.activated.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_activated::id), field("reason", &user_activated::reason)};
};

template <>
struct event_contract<user_deleted> {
  static constexpr std::string_view type = "tenantry.user.deleted.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields = std::tuple{field("id", &user_deleted::id)};
};

template <>
struct event_contract<user_restored> {
  static constexpr std::string_view type = "tenantry.user.restored.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields = std::tuple{field("id", &user_restored::id)};
};

template <>
struct event_contract<user_erased> {
  static constexpr std::string_view type = "tenantry.user.erased.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_erased::id), field("email", &user_erased::email)};
};

template <>
struct event_contract<user_password_changed> {
  static constexpr std::string_view type = "tenantry.user.password_changed.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_password_changed::id),
                 field("password_hash", &user_password_changed::password_hash)};
};

template <>
struct event_contract<user_password_rehashed> {
  static constexpr std::string_view type = "tenantry.user.password_rehashed.v1";
  static constexpr std::string_view aggregate = "user";
  static constexpr auto fields =
      std::tuple{field("id", &user_password_rehashed::id),
                 field("password_hash", &user_password_rehashed::password_hash)};
};

}  // namespace tenantry
