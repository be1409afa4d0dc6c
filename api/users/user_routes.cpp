// /v1/users: registration through the writer, reads from the users read model, and the
// route table of the whole user lifecycle (its changes: user_change_routes.cpp).

#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/guards/platform_roles.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/users/user_handlers.hpp"
#include "api/users/user_representations.hpp"

namespace tenantry::api {
namespace users {

std::string path_ref(const request_context& ctx) {
  return ctx.params.empty() || ctx.params[0] == "me" ? ctx.caller->user_id : ctx.params[0];
}

asio::awaitable<result<bool>> may_see(services& s, request_context& ctx, const std::string& id) {
  if (has_platform_role(*ctx.caller)) co_return !id.empty();
  if (!id.empty() && id == ctx.caller->user_id) co_return true;
  // The same two queries for a missing, a hidden and a visible user: how long the answer
  // takes says no more than the answer.
  auto select = [id](pqxx::connection& c) {
    return id.empty() ? std::vector<tenant_path>{} : membership_paths(c, id);
  };
  auto paths = co_await query(s.db, std::move(select));
  if (!paths) co_return std::unexpected(paths.error());
  auto facts = co_await caller_facts(s, ctx, "member.read");
  if (!facts) co_return std::unexpected(facts.error());
  for (const tenant_path& t : *paths)
    if (!t.is_deleted && check_access(*facts, t.path, "member.read", s.clock()).allowed)
      co_return true;
  co_return false;
}

}  // namespace users

namespace {

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto email = in.text("email", true, 254);
  auto password = in.text("password", true, users::max_password);
  auto name = in.text("name", false, 200);
  auto roles = in.text_list("platform_roles", 4);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  if (auto problem = new_password_problem(*password))
    co_return error_response(validation("password", *problem).error());
  for (const auto& role : roles.value_or(std::vector<std::string>{})) {
    if (!is_platform_role(role))
      co_return error_response(errc::invalid_argument, "validation_error",
                               "Unknown platform role '" + role + "'.",
                               {{"platform_roles", "unknown role " + role}});
    if (auto ok = require(may_grant_platform_role(*ctx.caller, role), "grant " + role); !ok)
      co_return error_response(ok.error());
  }
  auto hashing = [pw = *password, params = s.settings.password_params] {
    return hash_password(pw, params);
  };
  auto hash = co_await run_on(s.cpu, std::move(hashing));
  if (!hash) co_return error_response(hash.error());
  register_user c{*email, name.value_or(""), std::move(*hash),
                  roles.value_or(std::vector<std::string>{}), false};
  response_renderer render = [](const command_effect& effect) {
    const user_state* u = effect.model.users.find(user_id{effect.events.front().meta.subject});
    return showing(outcome::created, u->id.value, u->version, user_json(user_row_of(*u)));
  };
  co_return co_await execute(s, ctx, std::move(c), std::move(render));
}

// Deleted users are shown only to platform roles that ask for them.
result<bool> include_deleted_param(const request_context& ctx) {
  auto include = bool_param(ctx, "include_deleted", false);
  if (!include) return include;
  if (*include && !has_platform_role(*ctx.caller))
    return fail(errc::permission_denied, "permission_denied",
                "Only platform roles may see deleted users.");
  return include;
}

// Users are visible to themselves, to platform roles and to those who may read the
// members of one of their tenants; to anyone else 404, as if missing.
asio::awaitable<response> get(services& s, request_context& ctx) {
  auto include = include_deleted_param(ctx);
  if (!include) co_return error_response(include.error());
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  const std::string ref = users::path_ref(ctx);
  auto find = [ref, deleted = *include](pqxx::connection& c) { return find_user(c, ref, deleted); };
  auto row = co_await query(s.db, std::move(find));
  if (!row) co_return error_response(row.error());
  const std::string id = *row ? (*row)->id : std::string();  // "": no such user
  const result<bool> visible = co_await users::may_see(s, ctx, id);
  if (!visible) co_return error_response(visible.error());
  if (!*visible)
    co_return error_response(errc::not_found, "not_found", "No user '" + ref + "' exists.",
                             {{"resource", "user"}});
  response res = json_response(200, user_json(**row));
  set_etag(res, (*row)->version);
  co_return res;
}

// The list's filters: search, is_active, include_deleted, organization, ordering, paging.
result<user_filter> read_user_filter(const request_context& ctx) {
  auto paging = read_paging(ctx);
  if (!paging) return std::unexpected(paging.error());
  auto active = bool_param(ctx, "is_active", true);
  if (!active) return std::unexpected(active.error());
  auto include = include_deleted_param(ctx);
  if (!include) return std::unexpected(include.error());
  user_filter f;
  f.search = ctx.query("search").value_or("");
  if (ctx.query("is_active")) f.is_active = *active;
  f.include_deleted = *include;
  f.ordering = ctx.query("ordering").value_or("email");
  if (f.ordering != "email" && f.ordering != "-email" && f.ordering != "name" &&
      f.ordering != "-name" && f.ordering != "created_at" && f.ordering != "-created_at")
    return fail(errc::invalid_argument, "validation_error",
                "ordering must be email, name or created_at, optionally with -.",
                {{"ordering", "unknown ordering"}});
  if (const auto org = ctx.query("organization"); org && org->empty())
    return fail(errc::invalid_argument, "validation_error",
                "organization must be a tenant's slug or id.", {{"organization", "is empty"}});
  f.page = paging->page;
  f.page_size = paging->page_size;
  return f;
}

// Whose users the caller may list: an organization's members (with member.read there),
// or everyone it may see (a platform role: all; else itself and the members of the tenants
// where it holds member.read, with their subtrees).
asio::awaitable<result<void>> scope_user_list(services& s, request_context& ctx, user_filter& f) {
  if (const auto org = ctx.query("organization")) {
    std::string permission = "member.read";  // named locals: g++ 12 (docs/development.md)
    std::string ref = *org;
    auto tenant = co_await authorize_on_tenant(s, ctx, std::move(permission), std::move(ref));
    if (!tenant) co_return std::unexpected(tenant.error());
    if (tenant->is_deleted) co_return tenant_not_found(*org);
    f.organization = tenant->id;
    co_return result<void>{};
  }
  if (has_platform_role(*ctx.caller)) co_return result<void>{};
  auto facts = co_await caller_facts(s, ctx, "member.read");
  if (!facts) co_return std::unexpected(facts.error());
  f.visible_self = ctx.caller->user_id;
  f.visible_roots =
      readable_roots(*facts, "member.read", s.clock()).value_or(std::vector<std::string>{});
  co_return result<void>{};
}

asio::awaitable<response> list(services& s, request_context& ctx) {
  auto filter = read_user_filter(ctx);
  if (!filter) co_return error_response(filter.error());
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  if (auto ok = co_await scope_user_list(s, ctx, *filter); !ok)
    co_return error_response(ok.error());
  auto select = [f = *filter](pqxx::connection& c) { return list_users(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  nlohmann::json results = nlohmann::json::array();
  for (const auto& row : page->rows) results.push_back(user_json(row));
  const paging p{filter->page, filter->page_size};
  co_return json_response(200, page_envelope(ctx, p, page->count, std::move(results)));
}

}  // namespace

void add_user_routes(router& r, services& s) {
  using v = http::verb;
  const auto auth = access::authenticated;
  const std::string manage(manage_users);
  auto bind = bind_to(s);
  r.add(v::post, "/v1/users", on_platform(manage), bind(create));
  r.add(v::get, "/v1/users", auth, bind(list));
  r.add(v::get, "/v1/users/me", auth, bind(get));
  r.add(v::get, "/v1/users/{ref}", auth, bind(get));
  // A user's own name, profile and password are its own; the rest is platform.manage_users.
  r.add(v::put, "/v1/users/{ref}", on_self_or_platform(manage),
        [&s](request_context& ctx) { return users::update(s, ctx, true); });
  r.add(v::patch, "/v1/users/{ref}", on_self_or_platform(manage),
        [&s](request_context& ctx) { return users::update(s, ctx, false); });
  r.add(v::delete_, "/v1/users/{ref}", on_platform(manage), bind(users::remove));
  r.add(v::post, "/v1/users/{ref}/restore", on_platform(manage), bind(users::restore));
  r.add(v::post, "/v1/users/{ref}/erase", on_platform(manage), bind(users::erase));
  r.add(v::post, "/v1/users/{ref}/deactivate", on_platform(manage),
        [&s](request_context& ctx) { return users::set_active(s, ctx, false); });
  r.add(v::post, "/v1/users/{ref}/activate", on_platform(manage),
        [&s](request_context& ctx) { return users::set_active(s, ctx, true); });
  r.add(v::get, "/v1/users/{ref}/profile", auth, bind(users::get_profile));
  r.add(v::patch, "/v1/users/{ref}/profile", on_self_or_platform(manage),
        bind(users::patch_profile));
  r.add(v::post, "/v1/users/{ref}/password", on_self_or_platform(manage),
        bind(users::change_password));
}

}  // namespace tenantry::api
