#pragma once
// Facts about users and their login sessions (refresh-token families).

#include <string>
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

// reason: "reuse_detected" (a rotated token came back), "logout", "user_deleted".
struct session_revoked {
  session_id id;
  std::string reason;
};

}  // namespace tenantry
