// Access inside tenants: permissions, custom roles, role assignments, members, and the
// authorization check that explains itself.

#include "api/access/access_check.hpp"
#include "api/access/access_representations.hpp"
#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/guards/platform_roles.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/tenants/tenant_representations.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_ref = 320;

// Answers with the role, assignment or membership the command's first event touched.
response_renderer render_role(outcome kind) {
  return [kind](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    const role_state* r =
        effect.model.access.find_role(role_id{effect.events.front().meta.subject});
    return r ? showing(kind, r->id.value, r->version, role_json(role_row_of(*r)))
             : command_outcome{kind};
  };
}

response_renderer render_assignment(outcome kind, timestamp now) {
  return [kind, now](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    const assignment_state* a =
        effect.model.access.find_assignment(assignment_id{effect.events.front().meta.subject});
    return a ? showing(kind, a->id.value, a->version,
                       assignment_json(assignment_row_of(effect.model.access, *a), now))
             : command_outcome{kind};
  };
}

// A no-op change (the same roles) still answers with the member.
response_renderer render_member(outcome kind, std::string tenant_ref, std::string user_ref) {
  return [kind, tenant_ref = std::move(tenant_ref),
          user_ref = std::move(user_ref)](const command_effect& effect) -> command_outcome {
    const write_model& m = effect.model;
    const membership_state* found = nullptr;
    if (!effect.events.empty()) {
      found = m.access.find_membership(membership_id{effect.events.front().meta.subject});
    } else if (const tenant_state* t = m.tenants.resolve(tenant_ref)) {
      if (const user_state* u = m.users.resolve(user_ref))
        found = m.access.membership(t->id, u->id);
    }
    return found ? showing(kind, found->id.value, found->version,
                           member_json(member_row_of(m, *found)))
                 : command_outcome{kind};
  };
}

response with_etag(response res, std::int64_t version) {
  set_etag(res, version);
  return res;
}

// ---- permissions ---------------------------------------------------------------------

asio::awaitable<response> list_permissions(services&, request_context&) {
  json results = json::array();
  for (std::string_view p : tenant_permissions)
    results.push_back({{"name", p}, {"description", describe_permission(p)}});
  co_return json_response(200, json{{"count", results.size()}, {"results", results}});
}

// ---- roles -------------------------------------------------------------------------------

struct role_body {
  std::string name, description;
  std::vector<std::string> permissions;
};

result<role_body> read_role_body(const request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) return std::unexpected(body.error());
  body_reader in(*body);
  role_body out;
  out.name = in.text("name", true, 100).value_or("");
  out.description = in.text("description", false, 1000).value_or("");
  auto permissions = in.text_list("permissions", 64);
  if (auto ok = in.finish(); !ok) return std::unexpected(ok.error());
  if (!permissions)
    return fail(errc::invalid_argument, "validation_error",
                "permissions is required (a list, possibly empty).",
                {{"permissions", "is required"}});
  out.permissions = std::move(*permissions);
  return out;
}

asio::awaitable<response> list_roles(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto select = [path = ctx.tenant->path](pqxx::connection& c) { return roles_on(c, path); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return error_response(rows.error());
  json results = json::array();
  for (std::string_view name : builtin_tenant_roles) results.push_back(builtin_role_json(name));
  for (const role_row& r : *rows) {
    json j = role_json(r);
    j["inherited"] = r.tenant_id != ctx.tenant->id;
    results.push_back(std::move(j));
  }
  co_return json_response(200, json{{"count", results.size()}, {"results", results}});
}

asio::awaitable<response> get_role(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  const std::string ref = ctx.params[1];
  if (is_builtin_tenant_role(ref)) co_return json_response(200, builtin_role_json(ref));
  auto select = [path = ctx.tenant->path, ref](pqxx::connection& c) -> std::optional<role_row> {
    for (const std::string& tenant : path)
      if (auto r = find_role(c, tenant, ref)) return r;
    return std::nullopt;
  };
  auto row = co_await query(s.db, std::move(select));
  if (!row) co_return error_response(row.error());
  if (!*row)
    co_return error_response(errc::not_found, "not_found", "No role '" + ref + "' here.",
                             {{"resource", "role"}});
  co_return with_etag(json_response(200, role_json(**row)), (*row)->version);
}

asio::awaitable<response> create_role(services& s, request_context& ctx) {
  auto body = read_role_body(ctx);
  if (!body) co_return error_response(body.error());
  command cmd = define_role{ctx.params[0], body->name, body->description, body->permissions};
  response_renderer render = render_role(outcome::created);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> replace_role(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = read_role_body(ctx);
  if (!body) co_return error_response(body.error());
  command cmd = change_role{ctx.params[0],     ctx.params[1],     body->name,
                            body->description, body->permissions, *version};
  response_renderer render = render_role(outcome::done);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> remove_role(services& s, request_context& ctx) {
  command cmd = delete_role{ctx.params[0], ctx.params[1]};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

// ---- role assignments ------------------------------------------------------------------

asio::awaitable<response> list_role_assignments(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto revoked = bool_param(ctx, "include_revoked", false);
  if (!revoked) co_return error_response(revoked.error());
  auto select = [id = ctx.tenant->id, include = *revoked, p = *paging](pqxx::connection& c) {
    return list_assignments(c, id, include, p.page, p.page_size);
  };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, [&s](const assignment_row& row) {
    return assignment_json(row, s.clock());
  });
}

asio::awaitable<response> create_role_assignment(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto role = in.text("role", true, max_ref);
  auto expires = in.nullable_text("expires_at", 64);
  json problems = json::object();
  std::string type, id;
  const auto principal = body->find("principal");
  if (principal == body->end() || !principal->is_object()) {
    problems["principal"] = "must be an object {\"type\": \"user\"|\"group\", \"id\": \"<ref>\"}";
  } else {
    const auto t = principal->find("type");
    const auto i = principal->find("id");
    if (t == principal->end() || !t->is_string() || (*t != "user" && *t != "group"))
      problems["principal.type"] = "must be user or group";
    else
      type = t->get<std::string>();
    if (i == principal->end() || !i->is_string() || i->get_ref<const std::string&>().empty() ||
        i->get_ref<const std::string&>().size() > max_ref)
      problems["principal.id"] = "must be a user's or group's id (or a user's email)";
    else
      id = i->get<std::string>();
  }
  std::optional<timestamp> expires_at;
  if (expires && *expires) {
    expires_at = parse_rfc3339(**expires);
    if (!expires_at) problems["expires_at"] = "must be an RFC 3339 time";
  }
  auto finished = in.finish();
  if (!finished) {
    for (auto& [k, v] : finished.error().details.items()) problems[k] = v;
  }
  if (!problems.empty())
    co_return error_response(errc::invalid_argument, "validation_error",
                             "The role assignment is not valid.", problems);
  command cmd = assign_role{ctx.params[0], type, id, *role, expires_at};
  response_renderer render = render_assignment(outcome::created, s.clock());
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> revoke_assignment(services& s, request_context& ctx) {
  command cmd = revoke_role_assignment{ctx.params[0], ctx.params[1]};
  response_renderer render = render_assignment(outcome::done, s.clock());
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

// ---- members -----------------------------------------------------------------------------

asio::awaitable<response> list_tenant_members(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto select = [id = ctx.tenant->id, search = ctx.query("search").value_or(""),
                 p = *paging](pqxx::connection& c) {
    return list_members(c, id, search, p.page, p.page_size);
  };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, member_json);
}

asio::awaitable<response> get_member(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto select = [id = ctx.tenant->id, user = ctx.params[1]](pqxx::connection& c) {
    return find_member(c, id, user);
  };
  auto row = co_await query(s.db, std::move(select));
  if (!row) co_return error_response(row.error());
  if (!*row)
    co_return error_response(errc::not_found, "not_found",
                             "No member '" + ctx.params[1] + "' of this tenant.",
                             {{"resource", "member"}});
  co_return with_etag(json_response(200, member_json(**row)), (*row)->version);
}

asio::awaitable<response> create_member(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto user = in.text("user", true, max_ref);
  auto roles = in.text_list("roles", 32);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  command cmd = add_member{ctx.params[0], *user, roles.value_or(std::vector<std::string>{})};
  response_renderer render = render_member(outcome::created, ctx.params[0], *user);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> update_member(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto roles = in.text_list("roles", 32);
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  if (!roles)
    co_return error_response(errc::invalid_argument, "validation_error",
                             "roles is required (a list of role names or ids).",
                             {{"roles", "is required"}});
  command cmd = change_member{ctx.params[0], ctx.params[1], *roles, *version};
  response_renderer render = render_member(outcome::done, ctx.params[0], ctx.params[1]);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> delete_member(services& s, request_context& ctx) {
  command cmd = remove_member{ctx.params[0], ctx.params[1]};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

void add_access_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  r.add(v::get, "/v1/permissions", access::authenticated, bind(list_permissions));
  // Its own access for anyone; another principal's with role.read on the object
  // (api/access/access_check.hpp).
  r.add(v::get, "/v1/authz/check", access::authenticated, bind(authz_check));

  r.add(v::get, "/v1/tenants/{ref}/roles", on_tenant("role.read"), bind(list_roles));
  r.add(v::post, "/v1/tenants/{ref}/roles", on_tenant("role.manage"), bind(create_role));
  r.add(v::get, "/v1/tenants/{ref}/roles/{role}", on_tenant("role.read"), bind(get_role));
  r.add(v::put, "/v1/tenants/{ref}/roles/{role}", on_tenant("role.manage"), bind(replace_role));
  r.add(v::delete_, "/v1/tenants/{ref}/roles/{role}", on_tenant("role.manage"), bind(remove_role));

  r.add(v::get, "/v1/tenants/{ref}/role-assignments", on_tenant("role.read"),
        bind(list_role_assignments));
  r.add(v::post, "/v1/tenants/{ref}/role-assignments", on_tenant("role.assign"),
        bind(create_role_assignment));
  r.add(v::post, "/v1/tenants/{ref}/role-assignments/{id}/revoke", on_tenant("role.assign"),
        bind(revoke_assignment));

  r.add(v::get, "/v1/tenants/{ref}/members", on_tenant("member.read"), bind(list_tenant_members));
  r.add(v::post, "/v1/tenants/{ref}/members", on_tenant("member.manage"), bind(create_member));
  r.add(v::get, "/v1/tenants/{ref}/members/{user}", on_tenant("member.read"), bind(get_member));
  r.add(v::patch, "/v1/tenants/{ref}/members/{user}", on_tenant("member.manage"),
        bind(update_member));
  r.add(v::delete_, "/v1/tenants/{ref}/members/{user}", on_tenant("member.manage"),
        bind(delete_member));
}

}  // namespace tenantry::api
