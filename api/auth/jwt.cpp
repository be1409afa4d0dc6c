#include "api/auth/jwt.hpp"

#include <limits>
#include <optional>
#include <utility>

#include "api/auth/secret_token.hpp"
#include "api/auth/verified_token_cache.hpp"

namespace tenantry::api {

namespace {

using json = nlohmann::json;

std::unexpected<error> reject(std::string message) {
  return fail(errc::unauthenticated, "unauthenticated", std::move(message));
}

// The JSON object encoded in one base64url part, or nothing.
std::optional<json> decode_object(std::string_view part) {
  const auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  json value = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

const std::string* string_member(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

std::optional<std::int64_t> int_member(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (it->is_number_integer()) return it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::vector<std::string>> string_array_member(const json& object,
                                                            std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool audience_matches(const json& aud, const std::string& audience) {
  if (aud.is_string()) return aud.get_ref<const std::string&>() == audience;
  if (!aud.is_array()) return false;
  for (const auto& item : aud)
    if (item.is_string() && item.get_ref<const std::string&>() == audience) return true;
  return false;
}

json jwk(const verification_key& key) {
  const std::string_view raw(reinterpret_cast<const char*>(key.public_key.data()),
                             key.public_key.size());
  return {{"kty", "OKP"},   {"crv", "Ed25519"}, {"x", base64url_encode(raw)},
          {"kid", key.kid}, {"alg", "EdDSA"},   {"use", "sig"}};
}

}  // namespace

jwt_signer::jwt_signer(signing_key key, std::string issuer, std::string audience,
                       std::chrono::seconds ttl)
    : key_(std::move(key)), issuer_(std::move(issuer)), audience_(std::move(audience)), ttl_(ttl) {}

std::string jwt_signer::issue(const std::string& subject,
                              const std::vector<std::string>& platform_roles, std::int64_t now_unix,
                              std::int64_t generation) const {
  const json header = {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key_.kid()}};
  const json claims = {{"iss", issuer_},
                       {"sub", subject},
                       {"aud", audience_},
                       {"exp", now_unix + ttl_.count()},
                       {"iat", now_unix},
                       {"nbf", now_unix},
                       {"jti", random_base64url(16)},
                       {"platform_roles", platform_roles},
                       {"gen", generation}};
  std::string token = base64url_encode(header.dump()) + '.' + base64url_encode(claims.dump());
  const std::string signature = key_.sign(token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

jwt_verifier::jwt_verifier(std::vector<verification_key> keys, std::string issuer,
                           std::string audience, std::chrono::seconds leeway,
                           std::size_t cache_capacity)
    : cache_(std::make_unique<verified_token_cache>(cache_capacity)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      leeway_(leeway.count()) {
  for (auto& key : keys) {
    std::string kid = key.kid;
    keys_.emplace(std::move(kid), std::move(key));
  }
}

jwt_verifier::jwt_verifier(const signing_key& key, std::string issuer, std::string audience,
                           std::chrono::seconds leeway, std::size_t cache_capacity)
    : jwt_verifier(std::vector{key.public_key()}, std::move(issuer), std::move(audience), leeway,
                   cache_capacity) {}

jwt_verifier::~jwt_verifier() = default;
jwt_verifier::jwt_verifier(jwt_verifier&&) noexcept = default;

result<access_claims> jwt_verifier::verify(std::string_view token,
                                           std::int64_t now_unix) const noexcept {
  try {
    return verify_unguarded(token, now_unix);
  } catch (const std::exception& e) {
    return reject(std::string("token could not be verified: ") + e.what());
  } catch (...) {
    return reject("token could not be verified");
  }
}

result<access_claims> jwt_verifier::verify_unguarded(std::string_view token,
                                                     std::int64_t now_unix) const {
  if (token.size() > max_token_size) return reject("token is larger than 8 KiB");
  if (auto known = cache_->find(token)) {
    if (auto in_time = check_times(*known, now_unix); !in_time)
      return std::unexpected(in_time.error());
    return *known;
  }
  auto claims = verify_signed(token);
  if (!claims) return claims;
  if (auto in_time = check_times(*claims, now_unix); !in_time)
    return std::unexpected(in_time.error());
  cache_->insert(token, *claims);
  return claims;
}

result<access_claims> jwt_verifier::verify_signed(std::string_view token) const {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == token.npos ? token.npos : token.find('.', dot1 + 1);
  if (dot2 == token.npos || token.find('.', dot2 + 1) != token.npos)
    return reject("token does not have three dot-separated parts");

  const auto header = decode_object(token.substr(0, dot1));
  if (!header) return reject("token header is not base64url-encoded JSON");
  const std::string* alg = string_member(*header, "alg");
  if (!alg) return reject("token header has no alg");
  if (*alg == "none" || *alg == "None" || *alg == "NONE")
    return reject("token alg none is refused");
  if (*alg != "EdDSA") return reject("token alg is not EdDSA");
  if (header->contains("typ")) {
    const std::string* typ = string_member(*header, "typ");
    if (!typ || (*typ != "JWT" && *typ != "jwt")) return reject("token typ is not JWT");
  }
  if (header->contains("crit")) return reject("token header has unsupported crit extensions");
  const std::string* kid = string_member(*header, "kid");
  if (!kid) return reject("token header has no kid");
  const auto key = keys_.find(*kid);
  if (key == keys_.end()) return reject("token kid is unknown");

  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature) return reject("token signature is not base64url");
  if (!verify_signature(key->second, token.substr(0, dot2), *signature))
    return reject("token signature is invalid");

  // Only now is the payload trusted to come from us.
  const auto claims = decode_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return reject("token payload is not base64url-encoded JSON");
  const std::string* iss = string_member(*claims, "iss");
  const std::string* sub = string_member(*claims, "sub");
  const std::string* jti = string_member(*claims, "jti");
  const auto exp = int_member(*claims, "exp");
  const auto iat = int_member(*claims, "iat");
  const auto nbf = int_member(*claims, "nbf");
  auto roles = string_array_member(*claims, "platform_roles");
  const auto generation =
      claims->contains("gen") ? int_member(*claims, "gen") : std::optional<std::int64_t>(0);
  if (!iss) return reject("token has no iss claim");
  if (!sub || sub->empty()) return reject("token has no sub claim");
  if (!claims->contains("aud")) return reject("token has no aud claim");
  if (!exp) return reject("token has no exp claim");
  if (!iat) return reject("token has no iat claim");
  if (!nbf) return reject("token has no nbf claim");
  if (!jti || jti->empty()) return reject("token has no jti claim");
  if (!roles) return reject("token has no platform_roles claim");
  if (!generation || *generation < 0) return reject("token gen claim is not a generation");

  if (*iss != issuer_) return reject("token issuer is wrong");
  if (!audience_matches(claims->at("aud"), audience_)) return reject("token audience is wrong");
  return access_claims{*sub, std::move(*roles), *jti, *iat, *nbf, *exp, *generation};
}

result<void> jwt_verifier::check_times(const access_claims& claims, std::int64_t now_unix) const {
  if (now_unix - leeway_ >= claims.expires_at) return reject("token has expired");
  if (now_unix + leeway_ < claims.not_before) return reject("token is not valid yet (nbf)");
  if (now_unix + leeway_ < claims.issued_at) return reject("token was issued in the future (iat)");
  return {};
}

json jwks(const signing_key& key) {
  return jwks(std::vector{key.public_key()});
}

json jwks(const std::vector<verification_key>& keys) {
  json list = json::array();
  for (const auto& key : keys) list.push_back(jwk(key));
  return {{"keys", std::move(list)}};
}

}  // namespace tenantry::api
