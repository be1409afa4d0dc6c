#pragma once
// Access tokens: compact JWS (RFC 7515/7519) signed with EdDSA (Ed25519), and their
// verification, which trusts nothing in a token before its signature checks out.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/auth/signing_key.hpp"
#include "events/result.hpp"

namespace tenantry::api {

// What a verified access token says. Times are unix seconds.
struct access_claims {
  std::string subject;  // the user id
  std::vector<std::string> platform_roles;
  std::string jwt_id;
  std::int64_t issued_at = 0;
  std::int64_t not_before = 0;
  std::int64_t expires_at = 0;
  // The user's auth generation when the token was issued (claim "gen"; 0 when absent):
  // a password change, deactivation or deletion since makes the token useless.
  std::int64_t generation = 0;
};

// Larger tokens are rejected unread.
inline constexpr std::size_t max_token_size = 8 * 1024;

class jwt_signer {
 public:
  jwt_signer(signing_key key, std::string issuer, std::string audience, std::chrono::seconds ttl);

  // Header {"alg":"EdDSA","typ":"JWT","kid":...}; claims iss, sub, aud, exp, iat, nbf, a
  // random jti, platform_roles and gen (the user's auth generation).
  std::string issue(const std::string& subject, const std::vector<std::string>& platform_roles,
                    std::int64_t now_unix, std::int64_t generation = 0) const;

  std::chrono::seconds ttl() const { return ttl_; }
  const signing_key& key() const { return key_; }

 private:
  signing_key key_;
  std::string issuer_;
  std::string audience_;
  std::chrono::seconds ttl_;
};

class verified_token_cache;

class jwt_verifier {
 public:
  // Several keys let tokens signed before a key rotation stay valid until they expire.
  // Up to `cache_capacity` tokens that verified are remembered by their exact text, so a
  // token's signature is checked once, not on every request; its times are checked on
  // every use.
  jwt_verifier(std::vector<verification_key> keys, std::string issuer, std::string audience,
               std::chrono::seconds leeway = std::chrono::seconds(30),
               std::size_t cache_capacity = 10000);
  jwt_verifier(const signing_key& key, std::string issuer, std::string audience,
               std::chrono::seconds leeway = std::chrono::seconds(30),
               std::size_t cache_capacity = 10000);
  ~jwt_verifier();
  jwt_verifier(jwt_verifier&&) noexcept;

  // Every rejection is errc::unauthenticated, code "unauthenticated", with a message that
  // names the reason (for logs; clients should get a generic 401). Never throws.
  result<access_claims> verify(std::string_view token, std::int64_t now_unix) const noexcept;

 private:
  result<access_claims> verify_unguarded(std::string_view token, std::int64_t now_unix) const;
  // Signature and claims, everything but the times.
  result<access_claims> verify_signed(std::string_view token) const;
  result<void> check_times(const access_claims& claims, std::int64_t now_unix) const;

  std::unique_ptr<verified_token_cache> cache_;
  std::map<std::string, verification_key, std::less<>> keys_;  // by kid
  std::string issuer_;
  std::string audience_;
  std::int64_t leeway_;
};

// {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"alg":"EdDSA","use":"sig"}]}
nlohmann::json jwks(const signing_key& key);
nlohmann::json jwks(const std::vector<verification_key>& keys);

}  // namespace tenantry::api
