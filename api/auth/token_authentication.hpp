#pragma once
// `Authorization: Bearer tnt_...`: API tokens as credentials. The presented secret's
// SHA-256 is looked up in the tokens read model (one prepared query on the PostgreSQL
// pool); the principal is the token, acting with its creator's roles within its limit.

#include <string>

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

inline constexpr std::string_view api_token_prefix = "tnt_";

// Whether the request's Bearer credential is an API token (rather than a JWT).
bool presents_api_token(const request& req);

// The token's principal, or 401 unauthenticated for a secret that is malformed, unknown,
// revoked or expired, whose creator is deactivated or whose tenant is deleted (503 when
// the read models cannot be asked). A request carrying X-Consistency-Token first waits for
// that change, so a token can be used right after it was issued.
asio::awaitable<result<principal>> authenticate_api_token(services& s, const request_context& ctx);

// Whom the rate limits count a request against: the token, or the user.
std::string rate_limit_key(const principal& p);

}  // namespace tenantry::api
