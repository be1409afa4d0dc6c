#pragma once
// Random secrets shown to a client once (refresh tokens, API tokens, invitation tokens),
// the hash that events and the database keep instead, and the base64url codec (RFC 4648
// section 5, no padding) that JWTs share.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tenantry::api {

std::string base64url_encode(std::string_view bytes);

// Strict: rejects padding, characters outside the URL-safe alphabet, an impossible length
// and non-zero trailing bits, so every byte string has exactly one accepted encoding.
std::optional<std::string> base64url_decode(std::string_view text);

// `bytes` random bytes from the OS CSPRNG, base64url-encoded.
std::string random_base64url(std::size_t bytes);

// 32 random bytes, base64url-encoded, after `prefix` (e.g. "tnt_" for API tokens).
std::string new_secret_token(std::string_view prefix = "");

// Lowercase hex SHA-256 of the whole token (prefix included): what gets stored.
std::string token_hash(std::string_view token);

}  // namespace tenantry::api
