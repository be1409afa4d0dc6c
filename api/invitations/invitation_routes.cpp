// Invitations: sent by a tenant's admins with a secret token shown once, listed and read
// by those who may read the tenant's members (and by the invitee), answered by the
// invitee (signed in, or with the token, which registers it), revoked by admins.

#include <algorithm>

#include "api/auth/password_hash.hpp"
#include "api/auth/secret_token.hpp"
#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/invitations/invitation_representations.hpp"
#include "api/invitations/invitation_request.hpp"
#include "api/routes.hpp"
#include "commands/object_kinds.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

// The secret's prefix tells what it is when it turns up somewhere.
constexpr std::string_view invitation_token_prefix = "inv_";

// The invitation the command sent (after any earlier one it found expired).
command_outcome render_sent(const command_effect& effect) {
  for (const recorded_event& e : effect.events)
    if (const auto* sent = std::get_if<invitation_sent>(&e.data))
      if (const invitation_state* i = effect.model.invitations.find(sent->id))
        return showing(outcome::created, i->id.value, i->version,
                       invitation_json(invitation_row_of(effect.model, *i, e.meta.time)));
  return {outcome::created};
}

// The invitation as the command left it; one found expired answers 409 like any
// invitation no longer pending, though its expiry was recorded.
response_renderer render_invitation(std::string ref) {
  return [ref = std::move(ref)](const command_effect& effect) -> command_outcome {
    const invitation_state* i = effect.model.invitations.find(invitation_id{ref});
    if (!i || effect.events.empty()) return {outcome::done};
    if (effect.events.size() == 1 &&
        std::holds_alternative<invitation_expired>(effect.events.front().data))
      return command_outcome{.kind = outcome::refused,
                             .aggregate_id = i->id.value,
                             .refusal = error{errc::conflict,
                                              "invitation_not_pending",
                                              "The invitation is expired.",
                                              {{"status", "expired"}}}};
    const timestamp at = effect.events.back().meta.time;
    return showing(outcome::done, i->id.value, i->version,
                   invitation_json(invitation_row_of(effect.model, *i, at)));
  };
}

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  auto wanted = read_invitation_request(*body);
  if (!wanted) co_return error_response(wanted.error());
  const std::string token = new_secret_token(invitation_token_prefix);
  command cmd = send_invitation{ctx.params[0],
                                std::move(wanted->invitee),
                                std::move(wanted->roles),
                                std::move(wanted->permissions),
                                wanted->expires_in,
                                token_hash(token),
                                user_id{ctx.caller->user_id}};
  response_renderer render = render_sent;
  command_reply reply = co_await send_command(s, ctx, std::move(cmd), std::move(render));
  co_return reveal_once(std::move(reply), "token", token, "/v1/invitations/");
}

// ?status= and ?ordering= of the invitation lists, into `f`.
result<void> read_list_query(const request_context& ctx, invitation_filter& f) {
  if (const auto status = ctx.query("status")) {
    static constexpr std::string_view statuses[] = {"pending", "accepted", "declined", "revoked",
                                                    "expired"};
    if (std::ranges::find(statuses, *status) == std::end(statuses))
      return fail(errc::invalid_argument, "validation_error",
                  "status must be pending, accepted, declined, revoked or expired.",
                  {{"status", "unknown status"}});
    f.status = *status;
  }
  const std::string ordering = ctx.query("ordering").value_or("created_at");
  if (ordering != "created_at" && ordering != "-created_at")
    return fail(errc::invalid_argument, "validation_error",
                "ordering must be created_at or -created_at.", {{"ordering", "unknown ordering"}});
  f.newest_first = ordering == "-created_at";
  return {};
}

asio::awaitable<response> list(services& s, request_context& ctx, invitation_filter f) {
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  if (auto ok = read_list_query(ctx, f); !ok) co_return error_response(ok.error());
  f.page = paging->page;
  f.page_size = paging->page_size;
  f.now = s.clock();
  auto select = [f](pqxx::connection& c) { return list_invitations(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, invitation_json);
}

// GET /v1/tenants/{ref}/invitations
asio::awaitable<response> list_of_tenant(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  invitation_filter f;
  f.tenant_id = ctx.tenant->id;
  co_return co_await list(s, ctx, std::move(f));
}

// GET /v1/invitations: the caller's own, sent to its email.
asio::awaitable<response> list_own(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto find = [id = ctx.caller->user_id](pqxx::connection& c) { return find_user(c, id); };
  auto self = co_await query(s.db, std::move(find));
  if (!self) co_return error_response(self.error());
  invitation_filter f;
  // A caller the read model does not know yet matches nothing, and so does an API token:
  // invitations are for its creator in person.
  f.invitee = *self && !ctx.caller->token ? (*self)->email : std::string();
  co_return co_await list(s, ctx, std::move(f));
}

asio::awaitable<response> get(services& s, request_context& ctx) {
  auto select = [id = ctx.object->id, now = s.clock()](pqxx::connection& c) {
    return find_invitation(c, id, now);
  };
  auto row = co_await query(s.db, std::move(select));
  if (!row) co_return error_response(row.error());
  if (!*row) co_return error_response(object_not_found("invitation", ctx.params[0]).error());
  response res = json_response(200, invitation_json(**row));
  set_etag(res, (*row)->version);
  co_return res;
}

// Before a password is hashed for a token, the writer shows that the token opens a
// pending invitation no account holds yet: a guessed token costs no argon2id.
asio::awaitable<result<void>> check_token(services& s, const request_context& ctx,
                                          const std::string& hash) {
  command check = check_invitation_token{ctx.params[0], hash};
  response_renderer render = no_content;
  command_reply checked = co_await send_command(s, ctx, std::move(check), std::move(render), false);
  if (!checked.response) co_return std::unexpected(checked.response.error());
  co_return result<void>{};
}

// With the token: the writer checks it (no signed-in caller is looked at) and, accepting,
// registers the invitee with the password, hashed here off the I/O threads.
asio::awaitable<result<void>> by_token(services& s, const request_context& ctx,
                                       const answer_request& wanted, answer_invitation& cmd) {
  cmd.token_hash = token_hash(*wanted.token);
  if (!wanted.password) co_return result<void>{};
  if (auto ok = co_await check_token(s, ctx, *cmd.token_hash); !ok) co_return ok;
  auto hashing = [pw = *wanted.password, params = s.settings.password_params] {
    return hash_password(pw, params);
  };
  auto hash = co_await run_on(s.cpu, std::move(hashing));
  if (!hash) co_return std::unexpected(hash.error());
  cmd.account = invitee_account{wanted.name, std::move(*hash)};
  co_return result<void>{};
}

asio::awaitable<response> answer(services& s, request_context& ctx, invitation_reply reply) {
  auto body = parse_json_object(ctx, /*allow_empty=*/true);
  if (!body) co_return error_response(body.error());
  auto wanted = read_answer_request(*body, reply == invitation_reply::accept);
  if (!wanted) co_return error_response(wanted.error());
  answer_invitation cmd{ctx.params[0], reply, std::nullopt, std::nullopt, std::nullopt};
  if (wanted->token) {
    if (auto ok = co_await by_token(s, ctx, *wanted, cmd); !ok)
      co_return error_response(ok.error());
  } else if (ctx.caller) {
    cmd.user = user_id{ctx.caller->user_id};
  } else {
    co_return error_response(errc::unauthenticated, "unauthenticated",
                             "Sign in as the invitee, or send the invitation's token.");
  }
  // Answers given with the token keep no Idempotency-Key record: anonymous callers share
  // no answers (a retry after success gets 409 invitation_not_pending, status accepted).
  const bool idempotent = !cmd.token_hash;
  command c = std::move(cmd);
  response_renderer render = render_invitation(ctx.params[0]);
  co_return co_await execute(s, ctx, std::move(c), std::move(render), idempotent);
}

asio::awaitable<response> accept(services& s, request_context& ctx) {
  co_return co_await answer(s, ctx, invitation_reply::accept);
}

asio::awaitable<response> decline(services& s, request_context& ctx) {
  co_return co_await answer(s, ctx, invitation_reply::decline);
}

asio::awaitable<response> revoke(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  command cmd = revoke_invitation{ctx.params[0], *version};
  response_renderer render = render_invitation(ctx.params[0]);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

void add_invitation_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  // Sending, listing and revoking need invitation.manage on the tenant (a list shows the
  // invitees' e-mail addresses); reading one needs member.read there, or being the
  // invitee; only the invitee answers (signed in, or with the token).
  r.add(v::post, "/v1/tenants/{ref}/invitations", on_tenant("invitation.manage"), bind(create));
  r.add(v::get, "/v1/tenants/{ref}/invitations", on_tenant("invitation.manage"),
        bind(list_of_tenant));
  r.add(v::get, "/v1/invitations", access::authenticated, bind(list_own));
  r.add(v::get, "/v1/invitations/{id}", on_object("invitation", "member.read").or_party(),
        bind(get));
  r.add(v::post, "/v1/invitations/{id}/accept", on_party("invitation", "token"), bind(accept));
  r.add(v::post, "/v1/invitations/{id}/decline", on_party("invitation", "token"), bind(decline));
  r.add(v::post, "/v1/invitations/{id}/revoke", on_object("invitation", "invitation.manage"),
        bind(revoke));
}

}  // namespace tenantry::api
