// The user lifecycle's changes: PUT/PATCH, soft delete, restore and erasure, deactivation, the
// profile and the password. Every one is decided by the single writer, which also checks
// who may change which user (commands/users/user_authorization.hpp).

#include "api/auth/password_attempt.hpp"
#include "api/command_execution.hpp"
#include "api/http/json_input.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/users/user_handlers.hpp"
#include "api/users/user_representations.hpp"

namespace tenantry::api::users {
namespace {

// Answers with the user the command acted on; a no-op (nothing changed) with the user the
// path names.
response_renderer render_user(std::string ref, outcome kind,
                              nlohmann::json (*shape)(const user_row&) = user_json) {
  return [ref = std::move(ref), kind, shape](const command_effect& effect) -> command_outcome {
    const user_aggregate& users = effect.model.users;
    const user_state* u = effect.events.empty()
                              ? users.resolve(ref)
                              : users.find(user_id{effect.events.front().meta.subject});
    if (!u) return {kind};
    return showing(kind, u->id.value, u->version, shape(user_row_of(*u)));
  };
}

// A step in the user's life that takes nothing but the user (and its version): answered
// with the user as the step left it.
template <class Step>
asio::awaitable<response> step_of_user(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  command cmd = Step{path_ref(ctx), *version};
  response_renderer render = render_user(path_ref(ctx), outcome::done);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

asio::awaitable<response> update(services& s, request_context& ctx, bool replace) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  update_user c{path_ref(ctx), in.text("email", replace, 254), in.text("name", replace, 200),
                in.text_list("platform_roles", 4), *version};
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = render_user(c.ref, outcome::done);
  command cmd = std::move(c);  // a named variant: g++ 12 (docs/development.md)
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> remove(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  command cmd = delete_user{path_ref(ctx), *version};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> restore(services& s, request_context& ctx) {
  return step_of_user<restore_user>(s, ctx);
}

// Erasure for good of a deleted user (docs/privacy.md).
asio::awaitable<response> erase(services& s, request_context& ctx) {
  return step_of_user<erase_user>(s, ctx);
}

// POST .../deactivate and .../activate, with an optional {"reason": "..."}.
asio::awaitable<response> set_active(services& s, request_context& ctx, bool active) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx, /*allow_empty=*/true);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto reason = in.text("reason", false, 1000);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  command cmd = change_user_activation{path_ref(ctx), active, reason.value_or(""), *version};
  response_renderer render = render_user(path_ref(ctx), outcome::done);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> get_profile(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  const std::string ref = path_ref(ctx);
  auto find = [ref](pqxx::connection& c) { return find_user(c, ref); };
  auto row = co_await query(s.db, std::move(find));
  if (!row) co_return error_response(row.error());
  const std::string id = *row ? (*row)->id : std::string();  // "": no such user
  const result<bool> visible = co_await may_see(s, ctx, id);
  if (!visible) co_return error_response(visible.error());
  if (!*visible)
    co_return error_response(errc::not_found, "not_found", "No user '" + ref + "' exists.",
                             {{"resource", "user"}});
  response res = json_response(200, profile_json(**row));
  set_etag(res, (*row)->version);
  co_return res;
}

// A JSON merge patch of the profile: a field absent is kept, null or "" clears it.
asio::awaitable<response> patch_profile(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto field = [&in](const char* name, std::size_t max) -> std::optional<std::string> {
    auto given = in.nullable_text(name, max);
    if (!given) return std::nullopt;
    return given->value_or("");
  };
  change_user_profile c{
      path_ref(ctx),           field("display_name", 200), field("locale", 35),
      field("timezone", 64),   field("phone", 16),         field("avatar_url", 2048),
      field("job_title", 200), field("bio", 2000),         *version};
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = render_user(c.ref, outcome::done, profile_json);
  command cmd = std::move(c);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

namespace {

// What a password change needs to know about its user, read through the writer.
struct password_owner {
  std::string id, email, hash;
  std::int64_t version = 0;
  // The request's Idempotency-Key is already recorded: the writer answers it again (or 422),
  // so nothing is checked or hashed for it (the password and version have moved on).
  bool retried = false;
};

asio::awaitable<result<password_owner>> owner_of(services& s, const request_context& ctx,
                                                 const std::string& ref) {
  command lookup = lookup_credentials{ref};  // a lookup: decides nothing, appends nothing
  auto owner = read_through<password_owner>();
  response_renderer read = [ref, actor = ctx.caller->user_id, key = ctx.header("Idempotency-Key"),
                            owner](const command_effect& effect) {
    const user_state* u = effect.model.users.resolve(ref);
    if (!u) return command_outcome{outcome::absent};
    const bool retried = !key.empty() && effect.model.idempotency(actor, key);
    *owner = password_owner{u->id.value, u->email, u->password_hash, u->version, retried};
    return command_outcome{outcome::done, u->id.value, u->version};
  };
  command_reply found = co_await send_command(s, ctx, std::move(lookup), std::move(read), false);
  if (!found.response) co_return std::unexpected(found.response.error());
  if (!owner->has_value())
    co_return fail(errc::not_found, "not_found", "No user '" + ref + "' exists.",
                   {{"resource", "user"}});
  co_return std::move(**owner);
}

auto wrong_current_password() {
  return fail(errc::invalid_argument, "validation_error",
              "current_password is not your current password.",
              {{"current_password", "does not match"}});
}

// Changing one's own password proves the current one (argon2id, off the I/O threads),
// counted like a login try from the caller's address: the 429 or 503 to answer, or the
// 400 of a wrong password; nothing when it was right.
asio::awaitable<std::optional<response>> prove_current(services& s, const request_context& ctx,
                                                       const password_owner& owner,
                                                       const std::optional<std::string>& current) {
  if (!current)
    co_return error_response(errc::invalid_argument, "validation_error",
                             "current_password is required to change your own password.",
                             {{"current_password", "is required"}});
  auto attempt = password_attempt::begin(s, owner.email, ctx.remote_address);
  if (!attempt) co_return std::move(attempt.error());
  co_await attempt->wait_turn();
  auto verify = [hash = owner.hash, pw = *current] { return verify_password(hash, pw); };
  const result<bool> valid = co_await run_on(s.cpu, std::move(verify));
  if (!valid) {
    attempt->abandoned();
    co_return error_response(valid.error());
  }
  if (*valid) {
    attempt->succeeded();
    co_return std::nullopt;
  }
  attempt->failed();
  co_return error_response(wrong_current_password().error());
}

}  // namespace

// POST /v1/users/{ref}/password {"password", "current_password"?}: 204. Every session and
// access token of the user ends with it (the caller's own too: sign in again).
asio::awaitable<response> change_password(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto password = in.text("password", true, max_password);
  auto current = in.text("current_password", false, max_password);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  if (auto problem = new_password_problem(*password))
    co_return error_response(validation("password", *problem).error());
  auto owner = co_await owner_of(s, ctx, path_ref(ctx));
  if (!owner) co_return error_response(owner.error());
  if (owner->retried) {
    command retry = tenantry::change_password{owner->id, "", std::nullopt, *version};
    response_renderer render = no_content;
    co_return co_await execute(s, ctx, std::move(retry), std::move(render));
  }
  if (*version && **version != owner->version)
    co_return error_response(errc::version_conflict, "version_conflict",
                             "The user's version is stale.", {{"current_version", owner->version}});
  const bool self = owner->id == ctx.caller->user_id;
  if (self) {
    auto refused = co_await prove_current(s, ctx, *owner, current);
    if (refused) co_return std::move(*refused);
  }
  auto hashing = [pw = *password, params = s.settings.password_params] {
    return hash_password(pw, params);
  };
  auto hash = co_await run_on(s.cpu, std::move(hashing));
  if (!hash) co_return error_response(hash.error());
  command cmd = tenantry::change_password{
      owner->id, std::move(*hash), self ? std::optional(owner->hash) : std::nullopt, *version};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace tenantry::api::users
