#include "api/auth/password_hash.hpp"

#include <map>
#include <mutex>
#include <utility>

#include <sodium.h>

#include "api/auth/secret_token.hpp"
#include "events/text_length.hpp"

namespace tenantry::api {

namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// crypto_pwhash_str_verify wants a NUL-terminated string that fits crypto_pwhash_STRBYTES.
bool fits_encoding(std::string_view encoded_hash) {
  return !encoded_hash.empty() && encoded_hash.size() < crypto_pwhash_STRBYTES &&
         encoded_hash.find('\0') == std::string_view::npos;
}

}  // namespace

password_hash_params password_hash_params::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

password_hash_params password_hash_params::minimal() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

result<std::string> hash_password(std::string_view password, const password_hash_params& params) {
  if (!sodium_ready()) return fail(errc::internal, "internal", "libsodium is not initialised");
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(errc::unavailable, "unavailable", "password hashing ran out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  if (!sodium_ready() || !fits_encoding(encoded_hash)) return false;
  const std::string encoded(encoded_hash);
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded_hash, const password_hash_params& params) {
  if (!sodium_ready() || !fits_encoding(encoded_hash)) return true;
  const std::string encoded(encoded_hash);
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), params.opslimit, params.memlimit) != 0;
}

const std::string& dummy_password_hash(const password_hash_params& params) {
  static std::mutex mutex;
  static std::map<std::pair<unsigned long long, std::size_t>, std::string> hashes;
  std::lock_guard lock(mutex);
  auto& hash = hashes[{params.opslimit, params.memlimit}];
  if (hash.empty()) {
    // Should hashing fail, an unparseable dummy still makes every comparison false.
    hash = hash_password(random_base64url(32), params).value_or("$argon2id$unusable");
  }
  return hash;
}

std::optional<std::string> new_password_problem(std::string_view password) {
  if (code_points(password) >= min_password_characters) return std::nullopt;
  return "must be at least " + std::to_string(min_password_characters) + " characters";
}

}  // namespace tenantry::api
