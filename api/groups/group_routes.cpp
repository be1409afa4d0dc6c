// Groups of users: at platform level (/v1/groups) and owned by a tenant
// (/v1/tenants/{ref}/groups), each with its members. Routes on one group are guarded by
// the object guard: the permission on the tenant that owns the group.

#include "api/command_execution.hpp"
#include "api/groups/group_representations.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "commands/object_kinds.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_name = 200;
constexpr std::size_t max_description = 2000;
constexpr std::size_t max_slug = 100;
constexpr std::size_t max_ref = 320;

// Answers with the group as the write model now holds it (also after a no-op change).
response_renderer render_group(outcome kind, std::string ref) {
  return [kind, ref = std::move(ref)](const command_effect& effect) -> command_outcome {
    const group_state* g =
        effect.events.empty()
            ? effect.model.groups.resolve(ref)
            : effect.model.groups.find(group_id{effect.events.front().meta.subject});
    return g ? showing(kind, g->id.value, g->version, group_json(group_row_of(*g)))
             : command_outcome{kind};
  };
}

// A membership has no version of its own: no ETag.
response_renderer render_group_member(outcome kind) {
  return [kind](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    const auto& added = std::get<group_member_added>(effect.events.front().data);
    const user_state* u = effect.model.users.find(added.user);
    if (!u) return {kind};
    const group_member_row row{u->id.value, u->email, u->name, effect.events.front().meta.time};
    return {kind, u->id.value, std::nullopt, group_member_json(added.id.value, row)};
  };
}

struct group_body {
  std::optional<std::string> name, description, slug;
};

// POST and PUT need a name; PATCH takes any of the three.
result<group_body> read_group_body(const request_context& ctx, bool name_required) {
  auto body = parse_json_object(ctx);
  if (!body) return std::unexpected(body.error());
  body_reader in(*body);
  group_body out{in.text("name", name_required, max_name),
                 in.text("description", false, max_description), in.text("slug", false, max_slug)};
  if (auto ok = in.finish(); !ok) return std::unexpected(ok.error());
  return out;
}

// ---- lists and creation ------------------------------------------------------------------

asio::awaitable<response> list(services& s, request_context& ctx,
                               std::optional<std::string> tenant) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  group_filter f{std::move(tenant), ctx.query("search").value_or(""),
                 ctx.query("ordering").value_or("name"), paging->page, paging->page_size};
  if (f.ordering != "name" && f.ordering != "-name" && f.ordering != "created_at" &&
      f.ordering != "-created_at")
    co_return error_response(errc::invalid_argument, "validation_error",
                             "ordering must be name or created_at, optionally with -.",
                             {{"ordering", "unknown ordering"}});
  auto select = [f](pqxx::connection& c) { return list_groups(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, group_json);
}

// Named locals, not temporaries, into the co_await (the g++ 12 bug of docs/development.md).
asio::awaitable<response> list_platform_groups(services& s, request_context& ctx) {
  std::optional<std::string> platform;
  co_return co_await list(s, ctx, std::move(platform));
}

asio::awaitable<response> list_tenant_groups(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  std::optional<std::string> tenant = ctx.tenant->id;
  co_return co_await list(s, ctx, std::move(tenant));
}

asio::awaitable<response> create(services& s, request_context& ctx,
                                 std::optional<std::string> tenant) {
  auto body = read_group_body(ctx, true);
  if (!body) co_return error_response(body.error());
  command cmd =
      create_group{std::move(tenant), *body->name, body->slug, body->description.value_or("")};
  response_renderer render = render_group(outcome::created, "");
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> create_platform_group(services& s, request_context& ctx) {
  std::optional<std::string> platform;
  co_return co_await create(s, ctx, std::move(platform));
}

asio::awaitable<response> create_tenant_group(services& s, request_context& ctx) {
  std::optional<std::string> tenant = ctx.params[0];
  co_return co_await create(s, ctx, std::move(tenant));
}

// ---- one group ---------------------------------------------------------------------------

asio::awaitable<response> get(services& s, request_context& ctx) {
  auto select = [id = ctx.object->id](pqxx::connection& c) { return find_group(c, id); };
  auto row = co_await query(s.db, std::move(select));
  if (!row) co_return error_response(row.error());
  if (!*row) co_return error_response(object_not_found("group", ctx.params[0]).error());
  response res = json_response(200, group_json(**row));
  set_etag(res, (*row)->version);
  co_return res;
}

// PUT replaces name and description (and the slug when given); PATCH changes what it sends.
asio::awaitable<response> change(services& s, request_context& ctx, bool replace) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = read_group_body(ctx, replace);
  if (!body) co_return error_response(body.error());
  if (replace && !body->description) body->description = "";
  command cmd = update_group{ctx.params[0], body->name, body->description, body->slug, *version};
  response_renderer render = render_group(outcome::done, ctx.params[0]);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> replace(services& s, request_context& ctx) {
  co_return co_await change(s, ctx, true);
}

asio::awaitable<response> patch(services& s, request_context& ctx) {
  co_return co_await change(s, ctx, false);
}

asio::awaitable<response> remove(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  command cmd = delete_group{ctx.params[0], *version};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

// ---- members -----------------------------------------------------------------------------

asio::awaitable<response> list_members(services& s, request_context& ctx) {
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto select = [id = ctx.object->id, p = *paging](pqxx::connection& c) {
    return list_group_members(c, id, p.page, p.page_size);
  };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, [&ctx](const group_member_row& row) {
    return group_member_json(ctx.object->id, row);
  });
}

asio::awaitable<response> add_member(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto user = in.text("user", true, max_ref);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  command cmd = add_group_member{ctx.params[0], *user};
  response_renderer render = render_group_member(outcome::created);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> remove_member(services& s, request_context& ctx) {
  command cmd = remove_group_member{ctx.params[0], ctx.params[1]};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

void add_group_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  // Reading groups and their members needs member.read; changing them group.manage, on
  // the owning tenant (a platform role for platform groups).
  r.add(v::get, "/v1/groups", on_platform("member.read"), bind(list_platform_groups));
  r.add(v::post, "/v1/groups", on_platform("group.manage"), bind(create_platform_group));
  r.add(v::get, "/v1/tenants/{ref}/groups", on_tenant("member.read"), bind(list_tenant_groups));
  r.add(v::post, "/v1/tenants/{ref}/groups", on_tenant("group.manage"), bind(create_tenant_group));
  r.add(v::get, "/v1/groups/{id}", on_object("group", "member.read"), bind(get));
  r.add(v::put, "/v1/groups/{id}", on_object("group", "group.manage"), bind(replace));
  r.add(v::patch, "/v1/groups/{id}", on_object("group", "group.manage"), bind(patch));
  r.add(v::delete_, "/v1/groups/{id}", on_object("group", "group.manage"), bind(remove));
  r.add(v::get, "/v1/groups/{id}/members", on_object("group", "member.read"), bind(list_members));
  r.add(v::post, "/v1/groups/{id}/members", on_object("group", "group.manage"), bind(add_member));
  r.add(v::delete_, "/v1/groups/{id}/members/{user}", on_object("group", "group.manage"),
        bind(remove_member));
}

}  // namespace tenantry::api
