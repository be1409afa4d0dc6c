#pragma once
// Facts about users and their login sessions (refresh-token families).

#include <string>
#include <type_traits>
#include <vector>

#include "events/clock.hpp"
#include "events/ids.hpp"

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

// ---- the user lifecycle (issue 4) ------------------------------------------------------

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

// Every earlier access token and refresh-token family of the user stops working.
struct user_password_changed {
  user_id id;
  std::string password_hash;  // argon2id, encoded
};

// The events of a user's life after its registration.
template <class T>
inline constexpr bool is_user_lifecycle_event =
    std::is_same_v<T, user_updated> || std::is_same_v<T, user_profile_changed> ||
    std::is_same_v<T, user_deactivated> || std::is_same_v<T, user_activated> ||
    std::is_same_v<T, user_deleted> || std::is_same_v<T, user_restored> ||
    std::is_same_v<T, user_password_changed>;

}  // namespace tenantry
