// /v1/auth: password login and refresh-token rotation. Tokens never enter the log: only
// their hashes do, and these routes keep no Idempotency-Key records.

#include "api/auth/password_attempt.hpp"
#include "api/auth/secret_token.hpp"
#include "api/command_execution.hpp"
#include "api/http/json_input.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"

namespace tenantry::api {
namespace {

std::int64_t unix_now(const services& s) {
  return std::chrono::duration_cast<std::chrono::seconds>(s.clock().time_since_epoch()).count();
}

error bad_credentials() {
  return error{errc::unauthenticated, "unauthenticated", "Wrong username or password.",
               nlohmann::json::object()};
}

// Whom a session belongs to, as the writer saw it when it decided the session's command.
struct session_holder {
  std::string user;
  std::vector<std::string> platform_roles;
  std::int64_t generation = 0;
};

// A user's credentials, read through the writer.
struct credentials {
  std::string user;
  std::string hash;
  std::int64_t generation = 0;
};

// The token pair for a user whose session now holds `refresh`'s hash.
response token_pair(services& s, const session_holder& owner, const std::string& refresh,
                    std::int64_t offset) {
  const std::string access =
      s.signer.issue(owner.user, owner.platform_roles, unix_now(s), owner.generation);
  response res = json_response(200, nlohmann::json{{"access", access},
                                                   {"refresh", refresh},
                                                   {"token_type", "Bearer"},
                                                   {"expires_in", s.signer.ttl().count()}});
  res.set(http::field::cache_control, "no-store");
  if (offset >= 0) res.set("X-Consistency-Token", consistency_token(offset));
  return res;
}

// Reads whom the session a command acted on belongs to into `holder`; absent when the
// command revoked the session's family (a rotated token came back) or found no user.
response_renderer session_owner(read_through_writer<session_holder> holder) {
  return [holder](const command_effect& effect) -> command_outcome {
    for (const auto& e : effect.events)
      if (std::holds_alternative<session_revoked>(e.data)) return {outcome::absent};
    const session_state* session =
        effect.events.empty()
            ? nullptr
            : effect.model.users.find_session(session_id{effect.events.back().meta.subject});
    const user_state* user = session ? effect.model.users.find(session->user) : nullptr;
    if (!user) return {outcome::absent};
    *holder = session_holder{user->id.value, user->platform_roles, user->auth_generation};
    return {outcome::done, session->id.value};
  };
}

// A hash made with weaker parameters than the server's is made again, now that the password
// is known to be right. When the pool is busy, the next login tries again.
asio::awaitable<void> upgrade_hash(services& s, const request_context& ctx, const credentials& c,
                                   const std::string& password) {
  auto hashing = [pw = password, params = s.settings.password_params] {
    return hash_password(pw, params);
  };
  auto hash = co_await run_on(s.cpu, std::move(hashing));
  if (!hash) co_return;
  command upgrade = upgrade_password_hash{user_id{c.user}, c.hash, std::move(*hash)};
  response_renderer render = no_content;
  co_await send_command(s, ctx, std::move(upgrade), std::move(render), false);
}

asio::awaitable<response> login(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto username = in.text("username", true, 254);
  auto password = in.text("password", true, 1024);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());

  // Counted before anything is verified; 20 failed tries an hour per (account, client
  // address) and per client address by default, and a growing delay per account.
  auto attempt = password_attempt::begin(s, normalize_email(*username), ctx.remote_address);
  if (!attempt) co_return std::move(attempt.error());
  co_await attempt->wait_turn();

  // Read the credentials through the writer, verify off every I/O and writer thread.
  command lookup = lookup_credentials{*username};
  auto known_credentials = read_through<credentials>();
  response_renderer credentials_of = [email = *username,
                                      out = known_credentials](const command_effect& effect) {
    // A deleted or deactivated user is refused exactly like an unknown one.
    const user_state* u = effect.model.users.find_by_email(email);
    if (!u || !u->in_good_standing()) return command_outcome{outcome::absent};
    *out = credentials{u->id.value, u->password_hash, u->auth_generation};
    return command_outcome{outcome::done, u->id.value};
  };
  command_reply found =
      co_await send_command(s, ctx, std::move(lookup), std::move(credentials_of), false);
  if (!found.response) {
    attempt->abandoned();
    co_return error_response(found.response.error());
  }
  // An unknown account costs the same verification as a known one.
  const bool known = known_credentials->has_value();
  const std::string hash =
      known ? (*known_credentials)->hash : dummy_password_hash(s.settings.password_params);
  auto verify = [hash, pw = *password] { return verify_password(hash, pw); };
  const result<bool> valid = co_await run_on(s.cpu, std::move(verify));
  if (!valid) {
    attempt->abandoned();
    co_return error_response(valid.error());
  }
  if (!known || !*valid) {
    attempt->failed();
    co_return error_response(bad_credentials());
  }
  attempt->succeeded();
  if (password_needs_rehash(hash, s.settings.password_params))
    co_await upgrade_hash(s, ctx, **known_credentials, *password);

  const std::string refresh = new_secret_token("rt_");
  command start =
      start_session{user_id{(*known_credentials)->user}, token_hash(refresh),
                    s.clock() + s.settings.refresh_ttl, (*known_credentials)->generation};
  auto owner = read_through<session_holder>();
  response_renderer render = session_owner(owner);
  command_reply started = co_await send_command(s, ctx, std::move(start), std::move(render), false);
  if (!started.response) co_return error_response(started.response.error());
  if (!owner->has_value()) co_return error_response(bad_credentials());
  co_return token_pair(s, **owner, refresh, started.offset);
}

asio::awaitable<response> refresh(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto presented = in.text("refresh", true, 256);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  const std::string next = new_secret_token("rt_");
  command rotate =
      refresh_session{token_hash(*presented), token_hash(next), s.clock() + s.settings.refresh_ttl,
                      s.settings.refresh_family_ttl};
  auto owner = read_through<session_holder>();
  response_renderer render = session_owner(owner);
  command_reply r = co_await send_command(s, ctx, std::move(rotate), std::move(render), false);
  if (!r.response) co_return error_response(r.response.error());
  if (!owner->has_value())
    co_return error_response(errc::unauthenticated, "unauthenticated",
                             "The refresh token is not valid.");
  co_return token_pair(s, **owner, next, r.offset);
}

}  // namespace

void add_auth_routes(router& r, services& s) {
  r.add(http::verb::post, "/v1/auth/token", access::anyone,
        [&s](request_context& ctx) { return login(s, ctx); });
  r.add(http::verb::post, "/v1/auth/token/refresh", access::anyone,
        [&s](request_context& ctx) { return refresh(s, ctx); });
}

}  // namespace tenantry::api
