#include "api/auth/token_authentication.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "api/auth/secret_token.hpp"
#include "api/command_execution.hpp"
#include "api/http/offload.hpp"
#include "projections/tokens/token_queries.hpp"

namespace tenantry::api {
namespace {

constexpr std::string_view bearer = "Bearer ";
constexpr std::size_t secret_length = 4 + 43;  // "tnt_" and 32 bytes in base64url

std::string_view credential(const request& req) {
  const auto header = req[http::field::authorization];
  const std::string_view value(header.data(), header.size());
  if (value.size() <= bearer.size() ||
      !std::equal(bearer.begin(), bearer.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      }))
    return {};
  return value.substr(bearer.size());
}

bool well_formed(std::string_view secret) {
  return secret.size() == secret_length && secret.starts_with(api_token_prefix) &&
         std::ranges::all_of(secret.substr(api_token_prefix.size()), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

std::unexpected<error> refused() {
  return fail(errc::unauthenticated, "unauthenticated",
              "The API token is invalid, revoked or expired.");
}

}  // namespace

bool presents_api_token(const request& req) {
  return credential(req).starts_with(api_token_prefix);
}

asio::awaitable<result<principal>> authenticate_api_token(services& s, const request_context& ctx) {
  const std::string_view secret = credential(ctx.req);
  if (!well_formed(secret)) co_return refused();
  if (auto waited = co_await await_consistency(s, ctx); !waited)
    spdlog::debug("API token lookup without waiting: {}", waited.error().message);
  auto lookup = [hash = token_hash(secret)](pqxx::connection& c) {
    return find_token_credential(c, hash);
  };
  auto found = co_await query(s.db, std::move(lookup));
  if (!found) co_return std::unexpected(found.error());
  if (!*found || (*found)->is_revoked || (*found)->expires_at <= s.clock() ||
      !(*found)->creator_active)
    co_return refused();
  token_credential& t = **found;
  co_return principal{t.created_by,
                      {},
                      token_grant{token_limit{t.id, t.tenant_id, std::move(t.scopes)},
                                  std::move(t.creator_platform_roles)}};
}

std::string rate_limit_key(const principal& p) {
  return p.token ? "token:" + p.token->limit.token_id : "user:" + p.user_id;
}

}  // namespace tenantry::api
