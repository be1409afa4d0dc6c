// API tokens of a tenant: issue (the secret is shown in that one answer), list, read,
// revoke. Every route needs token.manage on the tenant, which no token can hold.

#include "api/auth/secret_token.hpp"
#include "api/auth/token_authentication.hpp"
#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/tokens/token_representations.hpp"
#include "api/tokens/token_request.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

// What the secret's display prefix shows: "tnt_" and 8 of its 43 random characters.
constexpr std::size_t shown_prefix = 12;

// Answers with the token the command's event touched; as of the command's own time.
response_renderer render_token(outcome kind) {
  return [kind](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    const recorded_event& e = effect.events.front();
    const token_state* t = effect.model.tokens.find(token_id{e.meta.subject});
    return t ? showing(kind, t->id.value, t->version, token_json(token_row_of(*t), e.meta.time))
             : command_outcome{kind};
  };
}

result<std::optional<std::string>> status_param(const request_context& ctx) {
  auto status = ctx.query("status");
  if (!status || *status == "active" || *status == "expired" || *status == "revoked") return status;
  return fail(errc::invalid_argument, "validation_error",
              "status must be active, expired or revoked.", {{"status", "unknown status"}});
}

asio::awaitable<response> list(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto status = status_param(ctx);
  if (!status) co_return error_response(status.error());
  const timestamp now = s.clock();
  token_filter f{ctx.tenant->id, *status,          ctx.query("search").value_or(""), now,
                 paging->page,   paging->page_size};
  auto select = [f](pqxx::connection& c) { return list_tokens(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page,
                          [now](const token_row& row) { return token_json(row, now); });
}

asio::awaitable<response> get(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto select = [tenant = ctx.tenant->id, id = ctx.params[1]](pqxx::connection& c) {
    return find_token(c, tenant, id);
  };
  auto row = co_await query(s.db, std::move(select));
  if (!row) co_return error_response(row.error());
  if (!*row)
    co_return error_response(errc::not_found, "not_found",
                             "No API token '" + ctx.params[1] + "' on this tenant.",
                             {{"resource", "token"}});
  response res = json_response(200, token_json(**row, s.clock()));
  set_etag(res, (*row)->version);
  co_return res;
}

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  auto wanted = read_token_request(*body, s.clock());
  if (!wanted) co_return error_response(wanted.error());
  const std::string secret = new_secret_token(api_token_prefix);
  command cmd = issue_token{ctx.params[0],
                            ctx.caller->user_id,
                            std::move(wanted->name),
                            std::move(wanted->description),
                            std::move(wanted->scopes),
                            token_hash(secret),
                            secret.substr(0, shown_prefix),
                            wanted->expires_at};
  response_renderer render = render_token(outcome::created);
  command_reply reply = co_await send_command(s, ctx, std::move(cmd), std::move(render));
  co_return reveal_once(std::move(reply), "secret", secret,
                        "/v1/tenants/" + ctx.params[0] + "/tokens/");
}

asio::awaitable<response> revoke(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  command cmd = revoke_token{ctx.params[0], ctx.params[1], *version};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

void add_token_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  r.add(v::get, "/v1/tenants/{ref}/tokens", on_tenant("token.manage"), bind(list));
  r.add(v::post, "/v1/tenants/{ref}/tokens", on_tenant("token.manage"), bind(create));
  r.add(v::get, "/v1/tenants/{ref}/tokens/{id}", on_tenant("token.manage"), bind(get));
  r.add(v::delete_, "/v1/tenants/{ref}/tokens/{id}", on_tenant("token.manage"), bind(revoke));
}

}  // namespace tenantry::api
