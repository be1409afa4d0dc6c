// /v1/users: registration through the writer, reads from the users read model.

#include "api/access.hpp"
#include "api/authorization.hpp"
#include "api/command_execution.hpp"
#include "api/json_input.hpp"
#include "api/listing.hpp"
#include "api/offload.hpp"
#include "api/representations.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace tenantry::api {
namespace {

constexpr std::size_t min_password = 8;
constexpr std::size_t max_password = 1024;

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx.req);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto email = in.text("email", true, 254);
  auto password = in.text("password", true, max_password);
  auto name = in.text("name", false, 200);
  auto roles = in.text_list("platform_roles", 4);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  if (password->size() < min_password)
    co_return error_response(errc::invalid_argument, "validation_error",
                             "password must be at least 8 characters.",
                             {{"password", "too short"}});
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
    return command_response{201, user_json(user_row_of(*u)).dump()};
  };
  co_return co_await execute(s, ctx, std::move(c), std::move(render));
}

// Whether the caller may see user `id`: itself, with a platform role, or with member.read
// on a tenant the user is a member of.
asio::awaitable<result<bool>> may_see_user(services& s, request_context& ctx,
                                           const std::string& id) {
  if (id == ctx.caller->user_id || has_platform_role(*ctx.caller)) co_return true;
  auto select = [id](pqxx::connection& c) { return membership_paths(c, id); };
  auto paths = co_await query(s.db, std::move(select));
  if (!paths) co_return std::unexpected(paths.error());
  if (paths->empty()) co_return false;
  auto facts = co_await caller_facts(s, ctx, "member.read");
  if (!facts) co_return std::unexpected(facts.error());
  for (const tenant_path& t : *paths)
    if (!t.is_deleted && check_access(*facts, t.path, "member.read", s.clock()).allowed)
      co_return true;
  co_return false;
}

// Users are visible to themselves, to platform roles and to those who may read the
// members of one of their tenants; to anyone else 404, as if missing.
asio::awaitable<response> get(services& s, request_context& ctx, std::string ref) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto find = [ref](pqxx::connection& c) { return find_user(c, ref); };
  auto row = co_await query(s.db, std::move(find));
  if (!row) co_return error_response(row.error());
  result<bool> visible = false;
  if (*row) visible = co_await may_see_user(s, ctx, (*row)->id);
  if (!visible) co_return error_response(visible.error());
  if (!*visible)
    co_return error_response(errc::not_found, "not_found", "No user '" + ref + "' exists.",
                             {{"resource", "user"}});
  response res = json_response(200, user_json(**row));
  res.set(http::field::etag, "\"" + std::to_string((*row)->version) + "\"");
  co_return res;
}

asio::awaitable<response> list(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto active = bool_param(ctx, "is_active", true);
  if (!active) co_return error_response(active.error());
  user_filter f;
  f.search = ctx.query("search").value_or("");
  if (ctx.query("is_active")) f.is_active = *active;
  f.ordering = ctx.query("ordering").value_or("email");
  if (f.ordering != "email" && f.ordering != "-email" && f.ordering != "name" &&
      f.ordering != "-name" && f.ordering != "created_at" && f.ordering != "-created_at")
    co_return error_response(errc::invalid_argument, "validation_error",
                             "ordering must be email, name or created_at, optionally with -.",
                             {{"ordering", "unknown ordering"}});
  f.page = paging->page;
  f.page_size = paging->page_size;
  if (!has_platform_role(*ctx.caller)) {
    // Without a platform role: only itself.
    auto find = [id = ctx.caller->user_id](pqxx::connection& c) { return find_user(c, id); };
    auto self = co_await query(s.db, std::move(find));
    if (!self) co_return error_response(self.error());
    nlohmann::json results = nlohmann::json::array();
    if (*self) results.push_back(user_json(**self));
    const auto count = static_cast<std::int64_t>(results.size());
    co_return json_response(200, page_envelope(ctx, *paging, count, std::move(results)));
  }
  auto select = [f](pqxx::connection& c) { return list_users(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  nlohmann::json results = nlohmann::json::array();
  for (const auto& row : page->rows) results.push_back(user_json(row));
  co_return json_response(200, page_envelope(ctx, *paging, page->count, std::move(results)));
}

}  // namespace

void add_user_routes(router& r, services& s) {
  using v = http::verb;
  const auto auth = access::authenticated;
  r.add(v::post, "/v1/users", on_platform(std::string(manage_users)),
        [&s](request_context& ctx) { return create(s, ctx); });
  r.add(v::get, "/v1/users", auth, [&s](request_context& ctx) { return list(s, ctx); });
  r.add(v::get, "/v1/users/me", auth,
        [&s](request_context& ctx) { return get(s, ctx, ctx.caller->user_id); });
  r.add(v::get, "/v1/users/{ref}", auth,
        [&s](request_context& ctx) { return get(s, ctx, ctx.params[0]); });
}

}  // namespace tenantry::api
