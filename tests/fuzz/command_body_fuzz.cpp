// Request bodies -> command fields, decoded the way the route handlers do it
// (api/tenants/tenant_routes.cpp, user_routes.cpp, auth_routes.cpp, group_routes.cpp;
// token_routes.cpp through its reader read_token_request, called as it is, and the invitation
// routes through theirs, api/invitations/invitation_request.cpp): parse_json_object, one
// body_reader per route with that route's fields and limits, then finish(), whose error becomes the
// response. The decoding lives inside the handlers' coroutines, so the table below repeats
// their fields and limits: keep it in step when a route changes (user_change_routes.cpp holds
// the user lifecycle's bodies).
//
// Input: a request body (Content-Type: application/json).
// Checks: nothing throws; every field keeps to its limit; finish() fails with a 400 that
// names the fields and renders, and succeeds only with the required fields there; a
// tenant's name always yields a valid slug, also when numbered (the write model derives
// slugs from names).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/http/json_input.hpp"
#include "api/invitations/invitation_request.hpp"
#include "api/tokens/token_request.hpp"
#include "commands/command.hpp"
#include "commands/slug.hpp"
#include "commands/tokens/token_aggregate.hpp"

namespace tenantry::api {
namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "command_body_fuzz: check failed: %s\n", what);
  std::abort();
}

void check_within(const std::optional<std::string>& value, std::size_t max, const char* what) {
  check(!value || value->size() <= max, what);
}

// The error a handler would answer with; it must render as JSON.
void render(const result<void>& finished) {
  if (finished) return;
  check(finished.error().category == errc::invalid_argument, "finish() fails with 400");
  check(!finished.error().details.empty(), "a validation error names its fields");
  const nlohmann::json body{{"error", finished.error().code},
                            {"message", finished.error().message},
                            {"details", finished.error().details}};
  (void)body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void check_slugs(const std::string& name) {
  const std::string slug = slugify(name);
  check(is_valid_slug(slug), "slugify(name) is a valid slug");
  for (int n : {2, 10, 2147483647})
    check(is_valid_slug(numbered_slug(slug, n)), "numbered_slug(slugify(name), n) is valid");
}

// POST /v1/tenants
void create_tenant_body(const nlohmann::json& body) {
  body_reader in(body);
  create_tenant c;
  c.name = in.text("name", true, 200).value_or("");
  c.slug = in.text("slug", false, 100);
  c.description = in.text("description", false, 2000).value_or("");
  c.parent = in.nullable_text("parent", 100).value_or(std::nullopt);
  check(c.name.size() <= 200 && c.description.size() <= 2000, "create_tenant limits");
  check_within(c.slug, 100, "create_tenant slug limit");
  check_within(c.parent, 100, "create_tenant parent limit");
  const auto finished = in.finish();
  render(finished);
  if (finished) {
    check(body.contains("name") && body["name"].is_string(), "a created tenant has a name");
    check_slugs(c.name);
  }
}

// PATCH /v1/tenants/{ref}
void update_tenant_body(const nlohmann::json& body) {
  body_reader in(body);
  update_tenant c{"ref", in.text("name", false, 200), in.text("description", false, 2000),
                  in.text("slug", false, 100), std::nullopt};
  check_within(c.name, 200, "update_tenant name limit");
  check_within(c.description, 2000, "update_tenant description limit");
  check_within(c.slug, 100, "update_tenant slug limit");
  render(in.finish());
}

// POST /v1/tenants/{ref}/suspend, resume, activate, deactivate (the body is optional)
void lifecycle_body(const nlohmann::json& body) {
  body_reader in(body);
  change_tenant_lifecycle c{"ref", lifecycle_action::suspend,
                            in.text("reason", false, 1000).value_or(""), std::nullopt};
  check(c.reason.size() <= 1000, "lifecycle reason limit");
  render(in.finish());
}

// POST /v1/tenants/{ref}/move: "parent" must be present, a ref or null.
void move_tenant_body(const nlohmann::json& body) {
  body_reader in(body);
  auto parent = in.nullable_text("parent", 100);
  if (!in.has("parent")) return;  // the handler answers 400 before finish()
  const auto finished = in.finish();
  render(finished);
  if (!finished) return;
  move_tenant c{"ref", parent.value_or(std::nullopt), std::nullopt};
  check(c.parent.has_value() == body["parent"].is_string(), "move parent: a ref or null");
  check_within(c.parent, 100, "move parent limit");
}

// POST /v1/users (the handler then checks the password's length and the roles)
void register_user_body(const nlohmann::json& body) {
  body_reader in(body);
  auto email = in.text("email", true, 254);
  auto password = in.text("password", true, 1024);
  auto name = in.text("name", false, 200);
  auto roles = in.text_list("platform_roles", 4);
  const auto finished = in.finish();
  render(finished);
  if (!finished) return;
  check(email && password, "required fields are there once finish() succeeded");
  check(email->size() <= 254 && password->size() <= 1024, "register_user limits");
  check_within(name, 200, "register_user name limit");
  check(!roles || roles->size() <= 4, "at most 4 platform roles");
}

// POST /v1/auth/token and /v1/auth/token/refresh
void auth_bodies(const nlohmann::json& body) {
  body_reader login(body);
  auto username = login.text("username", true, 254);
  auto password = login.text("password", true, 1024);
  const auto logged_in = login.finish();
  render(logged_in);
  if (logged_in) check(username && password, "login fields are there once finish() succeeded");

  body_reader refresh(body);
  auto presented = refresh.text("refresh", true, 256);
  const auto refreshed = refresh.finish();
  render(refreshed);
  if (refreshed) check(presented && presented->size() <= 256, "refresh token limit");
}

// POST /v1/groups and /v1/tenants/{ref}/groups, PUT /v1/groups/{id} (name required), and
// PATCH /v1/groups/{id} (every field optional): api/groups/group_routes.cpp
void group_bodies(const nlohmann::json& body) {
  for (const bool name_required : {true, false}) {
    body_reader in(body);
    update_group c{"ref", in.text("name", name_required, 200), in.text("description", false, 2000),
                   in.text("slug", false, 100), std::nullopt};
    check_within(c.name, 200, "group name limit");
    check_within(c.description, 2000, "group description limit");
    check_within(c.slug, 100, "group slug limit");
    const auto finished = in.finish();
    render(finished);
    if (finished && name_required) check(c.name.has_value(), "a created group has a name");
  }
}

// POST /v1/groups/{id}/members
void group_member_body(const nlohmann::json& body) {
  body_reader in(body);
  auto user = in.text("user", true, 320);
  const auto finished = in.finish();
  render(finished);
  if (finished) check(user && user->size() <= 320, "a new group member names its user");
}

// POST /v1/tenants/{ref}/tokens: the route's own reader (read_token_request).
void issue_token_body(const nlohmann::json& body) {
  const tenantry::timestamp now{std::chrono::milliseconds{1'700'000'000'000}};
  const auto read = read_token_request(body, now);
  if (!read) {
    render(tenantry::result<void>(std::unexpected(read.error())));
    return;
  }
  check(body.contains("name") && body.contains("scopes"), "a token request has a name and scopes");
  check(read->name.size() <= tenantry::max_token_name, "token name limit");
  check(read->description.size() <= tenantry::max_token_description, "token description limit");
  check(read->scopes.size() <= 64, "at most 64 scopes");
  // Relative lifetimes stay within the maximum; absolute ones are the writer's to judge.
  if (body.contains("expires_in") && !body["expires_in"].is_null())
    check(read->expires_at > now && read->expires_at <= now + tenantry::max_token_lifetime,
          "expires_in within 1 s .. 365 days");
  if ((!body.contains("expires_in") || body["expires_in"].is_null()) &&
      (!body.contains("expires_at") || body["expires_at"].is_null()))
    check(read->expires_at == now + tenantry::default_token_lifetime, "the default lifetime");
}

// PUT (email and name required) and PATCH /v1/users/{ref}
void update_user_body(const nlohmann::json& body, bool replace) {
  body_reader in(body);
  update_user c{"ref", in.text("email", replace, 254), in.text("name", replace, 200),
                in.text_list("platform_roles", 4)};
  check_within(c.email, 254, "update_user email limit");
  check_within(c.name, 200, "update_user name limit");
  check(!c.platform_roles || c.platform_roles->size() <= 4, "at most 4 platform roles");
  const auto finished = in.finish();
  render(finished);
  if (finished && replace) check(c.email && c.name, "PUT has email and name once finished");
}

// PATCH /v1/users/{ref}/profile: null clears a field ("").
void profile_body(const nlohmann::json& body) {
  body_reader in(body);
  auto field = [&in](const char* name, std::size_t max) -> std::optional<std::string> {
    auto given = in.nullable_text(name, max);
    if (!given) return std::nullopt;
    return given->value_or("");
  };
  change_user_profile c{"ref",
                        field("display_name", 200),
                        field("locale", 35),
                        field("timezone", 64),
                        field("phone", 16),
                        field("avatar_url", 2048),
                        field("job_title", 200),
                        field("bio", 2000)};
  check_within(c.display_name, 200, "display_name limit");
  check_within(c.locale, 35, "locale limit");
  check_within(c.timezone, 64, "timezone limit");
  check_within(c.phone, 16, "phone limit");
  check_within(c.avatar_url, 2048, "avatar_url limit");
  check_within(c.job_title, 200, "job_title limit");
  check_within(c.bio, 2000, "bio limit");
  render(in.finish());
}

// POST /v1/users/{ref}/password (the handler then checks the new password's length)
void password_body(const nlohmann::json& body) {
  body_reader in(body);
  auto password = in.text("password", true, 1024);
  auto current = in.text("current_password", false, 1024);
  const auto finished = in.finish();
  render(finished);
  if (finished) check(password.has_value(), "a password once finish() succeeded");
  check_within(current, 1024, "current_password limit");
}

// POST /v1/users/{ref}/deactivate and /activate (the body is optional)
void activation_body(const nlohmann::json& body) {
  body_reader in(body);
  change_user_activation c{"ref", false, in.text("reason", false, 1000).value_or("")};
  check(c.reason.size() <= 1000, "activation reason limit");
  render(in.finish());
}

// POST /v1/tenants/{ref}/invitations: the real reader (api/invitations/invitation_request.cpp).
void invitation_body(const nlohmann::json& body) {
  auto read = read_invitation_request(body);
  if (!read) {
    render(result<void>(std::unexpected(read.error())));
    return;
  }
  check(body.contains("invitee") && body["invitee"].is_string(), "an invitation names its invitee");
  check(read->invitee.size() <= 254, "invitee limit");
  check(read->roles.size() <= 20 && read->permissions.size() <= 50, "role and permission limits");
  check(body.contains("roles") || read->roles == std::vector<std::string>{"member"},
        "roles default to member");
  check(body.contains("expires_in") || read->expires_in == 7 * 24 * 3600,
        "the lifetime defaults to 7 days");
}

// POST /v1/invitations/{id}/accept and /decline (an empty body is the signed-in invitee's).
void answer_bodies(const nlohmann::json& body) {
  for (const bool accepting : {true, false}) {
    auto read = read_answer_request(body, accepting);
    if (!read) {
      render(result<void>(std::unexpected(read.error())));
      continue;
    }
    check(!read->token || (!read->token->empty() && read->token->size() <= 256), "token limit");
    check(!read->password || (read->password->size() >= 8 && read->password->size() <= 1024),
          "password limits");
    check(accepting || !read->password, "declining reads no password");
    check(read->token || !read->password, "a password only comes with a token");
    check(read->name.size() <= 200, "name limit");
  }
}

}  // namespace
}  // namespace tenantry::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tenantry::api;
  request req{http::verb::post, "/v1/tenants", 11};
  req.set(http::field::content_type, "application/json");
  req.body().assign(reinterpret_cast<const char*>(data), size);

  // The lifecycle routes take an empty body as {}; the others refuse it.
  const request_context ctx{.req = req, .target = boost::urls::url_view("/v1/tenants")};
  auto body = parse_json_object(ctx, /*allow_empty=*/true);
  if (!body) {
    check(body.error().category == tenantry::errc::invalid_argument, "a bad body is a 400");
    return 0;
  }
  check(body->is_object(), "parse_json_object gives an object");
  create_tenant_body(*body);
  update_tenant_body(*body);
  lifecycle_body(*body);
  move_tenant_body(*body);
  register_user_body(*body);
  auth_bodies(*body);
  group_bodies(*body);
  group_member_body(*body);
  issue_token_body(*body);
  update_user_body(*body, true);
  update_user_body(*body, false);
  profile_body(*body);
  password_body(*body);
  activation_body(*body);
  invitation_body(*body);
  answer_bodies(*body);
  return 0;
}
