#include "api/guards/self_guard.hpp"

#include "api/guards/authorization.hpp"
#include "api/http/offload.hpp"
#include "commands/users/user_aggregate.hpp"
#include "projections/postgres/postgres_codec.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {

asio::awaitable<result<bool>> names_the_caller(services& s, const request_context& ctx,
                                               std::string ref) {
  // An API token acts for its creator within its scopes, never as the user itself.
  if (ctx.caller->token) co_return false;
  const std::string& me = ctx.caller->user_id;
  if (ref == "me") co_return true;
  if (const auto id = canonical_uuid(ref)) co_return *id == me;
  if (ref.find('@') == std::string::npos) co_return false;
  auto find = [me](pqxx::connection& c) { return find_user(c, me); };
  auto row = co_await query(s.db, std::move(find));
  if (!row) co_return std::unexpected(row.error());
  co_return *row && (*row)->email == normalize_email(ref);
}

asio::awaitable<result<void>> enforce_self_or_platform(services& s, request_context& ctx,
                                                       const guard& g) {
  if (ctx.params.empty())
    co_return fail(errc::internal, "internal", "A self_or_platform route without a {ref}.");
  if (auto platform = authorize_on_platform(ctx, g.permission); !platform) {
    auto self = co_await names_the_caller(s, ctx, ctx.params[0]);
    if (!self) co_return std::unexpected(self.error());
    if (!*self) co_return platform;
  }
  const auto method = ctx.req.method();
  if (method != http::verb::get && method != http::verb::head) {
    command_authorization check = writer_check(*ctx.caller, g.permission, std::nullopt);
    check.self_ref = ctx.params[0] == "me" ? ctx.caller->user_id : ctx.params[0];
    ctx.authorizations.push_back(std::move(check));
  }
  co_return result<void>{};
}

}  // namespace tenantry::api
