// /v1/auth: password login and refresh-token rotation. Tokens never enter the log: only
// their hashes do, and these routes keep no Idempotency-Key records.

#include "api/command_execution.hpp"
#include "api/http/json_input.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/auth/secret_token.hpp"

namespace tenantry::api {
namespace {

std::int64_t unix_now(const services& s) {
  return std::chrono::duration_cast<std::chrono::seconds>(s.clock().time_since_epoch()).count();
}

error bad_credentials() {
  return error{errc::unauthenticated, "unauthenticated", "Wrong username or password.",
               nlohmann::json::object()};
}

// The token pair for a user whose session now holds `refresh`'s hash.
response token_pair(services& s, const nlohmann::json& owner, const std::string& refresh,
                    std::int64_t offset) {
  const std::string access = s.signer.issue(owner["user"], owner["platform_roles"], unix_now(s),
                                            owner["generation"].get<std::int64_t>());
  response res = json_response(200, nlohmann::json{{"access", access},
                                                   {"refresh", refresh},
                                                   {"token_type", "Bearer"},
                                                   {"expires_in", s.signer.ttl().count()}});
  res.set(http::field::cache_control, "no-store");
  if (offset >= 0) res.set("X-Consistency-Token", consistency_token(offset));
  return res;
}

// Renders {"user": id, "platform_roles": [...], "generation": n} for the session a command
// acted on.
command_response session_owner(const command_effect& effect) {
  for (const auto& e : effect.events)
    if (std::holds_alternative<session_revoked>(e.data))
      return {401, ""};  // a rotated token came back: the family is now revoked
  const session_state* session =
      effect.events.empty()
          ? nullptr
          : effect.model.users.find_session(session_id{effect.events.back().meta.subject});
  const user_state* user = session ? effect.model.users.find(session->user) : nullptr;
  if (!user) return {401, ""};
  return {200, nlohmann::json{{"user", user->id.value},
                              {"platform_roles", user->platform_roles},
                              {"generation", user->auth_generation}}
                   .dump()};
}

asio::awaitable<response> login(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx.req);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto username = in.text("username", true, 254);
  auto password = in.text("password", true, 1024);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());

  // 20 failed logins an hour per account and per client address, by default.
  const std::string account = "account:" + normalize_email(*username);
  const std::string address = "address:" + ctx.remote_address;
  if (s.limits && s.limits->login_failures.enabled()) {
    const auto now = rate_limiter::clock::now();
    for (const auto& key : {account, address})
      if (auto d = s.limits->login_failures.peek(key, now); !d.allowed) co_return rate_limited(d);
  }

  // Read the credentials through the writer, verify off every I/O and writer thread.
  command lookup = lookup_credentials{*username};
  response_renderer credentials_of = [email = *username](const command_effect& effect) {
    // A deleted or deactivated user is refused exactly like an unknown one.
    const user_state* u = effect.model.users.find_by_email(email);
    if (!u || !u->in_good_standing()) return command_response{404, ""};
    return command_response{200, nlohmann::json{{"user", u->id.value},
                                                {"hash", u->password_hash},
                                                {"generation", u->auth_generation}}
                                     .dump()};
  };
  command_reply found =
      co_await send_command(s, ctx, std::move(lookup), std::move(credentials_of), false);
  if (!found.response) co_return error_response(found.response.error());
  const auto credentials = nlohmann::json::parse(found.response->body, nullptr, false);
  const bool known = found.response->status == 200 && credentials.is_object();
  const std::string hash = known ? credentials["hash"].get<std::string>()
                                 : dummy_password_hash(s.settings.password_params);
  auto verify = [hash, pw = *password] { return verify_password(hash, pw); };
  const bool valid = co_await run_on(s.cpu, std::move(verify));
  if (!known || !valid) {
    if (s.limits) {
      const auto now = rate_limiter::clock::now();
      s.limits->login_failures.take(account, now);
      s.limits->login_failures.take(address, now);
    }
    co_return error_response(bad_credentials());
  }

  const std::string refresh = new_secret_token("rt_");
  command start = start_session{user_id{credentials["user"].get<std::string>()},
                                token_hash(refresh), s.clock() + s.settings.refresh_ttl,
                                credentials["generation"].get<std::int64_t>()};
  command_reply started = co_await send_command(s, ctx, std::move(start), session_owner, false);
  if (!started.response) co_return error_response(started.response.error());
  if (started.response->status != 200) co_return error_response(bad_credentials());
  const auto owner = nlohmann::json::parse(started.response->body);
  co_return token_pair(s, owner, refresh, started.offset);
}

asio::awaitable<response> refresh(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx.req);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto presented = in.text("refresh", true, 256);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  const std::string next = new_secret_token("rt_");
  command rotate =
      refresh_session{token_hash(*presented), token_hash(next), s.clock() + s.settings.refresh_ttl};
  command_reply r = co_await send_command(s, ctx, std::move(rotate), session_owner, false);
  if (!r.response) co_return error_response(r.response.error());
  if (r.response->status != 200)
    co_return error_response(errc::unauthenticated, "unauthenticated",
                             "The refresh token is not valid.");
  const auto owner = nlohmann::json::parse(r.response->body);
  co_return token_pair(s, owner, next, r.offset);
}

}  // namespace

void add_auth_routes(router& r, services& s) {
  r.add(http::verb::post, "/v1/auth/token", access::anyone,
        [&s](request_context& ctx) { return login(s, ctx); });
  r.add(http::verb::post, "/v1/auth/token/refresh", access::anyone,
        [&s](request_context& ctx) { return refresh(s, ctx); });
}

}  // namespace tenantry::api
