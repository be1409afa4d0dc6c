#pragma once
// Argon2id password hashes (libsodium's crypto_pwhash_str encoding, "$argon2id$v=19$...").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "events/result.hpp"

namespace tenantry::api {

struct password_hash_params {
  unsigned long long opslimit;
  std::size_t memlimit;

  static password_hash_params interactive();  // production: ~64 MiB, a fraction of a second
  static password_hash_params minimal();      // tests only: the smallest libsodium allows
};

result<std::string> hash_password(
    std::string_view password,
    const password_hash_params& params = password_hash_params::interactive());

// New passwords (a user's, an invitee's, the bootstrap admin's) have at least this many
// characters (UTF-8 code points, not bytes).
inline constexpr std::size_t min_password_characters = 12;
// What is wrong with a new password ("must be at least 12 characters"), or nothing.
std::optional<std::string> new_password_problem(std::string_view password);

// False for a wrong password and for anything that is not a valid encoded hash.
bool verify_password(std::string_view encoded_hash, std::string_view password);

// True when `encoded_hash` was made with other parameters (rehash after a successful login).
bool password_needs_rehash(std::string_view encoded_hash, const password_hash_params& params);

// A hash of a random password, made once per parameter set. A login for an unknown user
// verifies against it, so it costs the same time as a login for a known one.
const std::string& dummy_password_hash(
    const password_hash_params& params = password_hash_params::interactive());

}  // namespace tenantry::api
