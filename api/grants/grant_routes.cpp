// Object permission grants: one permission on one object (a tenant and its subtree, or a
// group) for a user or a group, given, listed and revoked.

#include "api/command_execution.hpp"
#include "api/grants/grant_representations.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "projections/postgres/postgres_codec.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_ref = 320;

response_renderer render_grant(outcome kind) {
  return [kind](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    const grant_state* g = effect.model.grants.find(grant_id{effect.events.front().meta.subject});
    return g ? showing(kind, g->id.value, g->version, grant_json(grant_row_of(*g)))
             : command_outcome{kind};
  };
}

// {"type": ..., "id": ...} with the allowed types, into `problems` when it is not.
std::pair<std::string, std::string> typed_ref(const json& body, const char* field,
                                              std::initializer_list<std::string_view> types,
                                              json& problems) {
  const std::string name(field);
  const auto it = body.find(field);
  if (it == body.end() || !it->is_object()) {
    problems[name] = "must be an object {\"type\", \"id\"}";
    return {};
  }
  std::pair<std::string, std::string> out;
  const auto t = it->find("type");
  if (t == it->end() || !t->is_string() ||
      std::ranges::find(types, t->get_ref<const std::string&>()) == types.end())
    problems[name + ".type"] = "is not one of the allowed types";
  else
    out.first = t->get<std::string>();
  const auto i = it->find("id");
  if (i == it->end() || !i->is_string() || i->get_ref<const std::string&>().empty() ||
      i->get_ref<const std::string&>().size() > max_ref)
    problems[name + ".id"] = "must be an id (or a slug or email)";
  else
    out.second = i->get<std::string>();
  return out;
}

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  auto permission = in.text("permission", true, 100);
  json problems = json::object();
  auto [principal_type, principal] = typed_ref(*body, "principal", {"user", "group"}, problems);
  auto [object_type, object] = typed_ref(*body, "object", {"tenant", "group"}, problems);
  if (auto finished = in.finish(); !finished)
    for (auto& [k, v] : finished.error().details.items()) problems[k] = v;
  if (!problems.empty())
    co_return error_response(errc::invalid_argument, "validation_error", "The grant is not valid.",
                             problems);
  command cmd = grant_permission{principal_type, principal, *permission, object_type, object};
  response_renderer render = render_grant(outcome::created);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> revoke(services& s, request_context& ctx) {
  command cmd = revoke_permission{ctx.params[0]};
  response_renderer render = no_content;
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

// The filter's object and principal as ids; 404 for an object the caller may not see
// (role.read where it lives), an unknown principal matches nothing.
asio::awaitable<result<grant_filter>> read_filter(services& s, request_context& ctx) {
  grant_filter f;
  const auto type = ctx.query("object_type");
  const auto id = ctx.query("object_id");
  if (type && *type != "tenant" && *type != "group")
    co_return fail(errc::invalid_argument, "validation_error",
                   "object_type must be tenant or group.", {{"object_type", "unknown type"}});
  if (type.has_value() != id.has_value())
    co_return fail(errc::invalid_argument, "validation_error",
                   "object_type and object_id go together.",
                   {{type ? "object_id" : "object_type", "is required with the other"}});
  auto include = bool_param(ctx, "include_revoked", false);
  if (!include) co_return std::unexpected(include.error());
  f.include_revoked = *include;
  if (type) {
    std::string kind = *type;
    std::string permission = "role.read";
    std::string ref = *id;
    auto owner = co_await authorize_on_object(s, ctx, std::move(kind), std::move(permission),
                                              std::move(ref));
    if (!owner) co_return std::unexpected(owner.error());
    f.object_type = *type;
    f.object_id = owner->id;
  } else {
    auto facts = co_await caller_facts(s, ctx, "role.read");
    if (!facts) co_return std::unexpected(facts.error());
    std::string readable = "role.read";  // a named local: g++ 12
    auto within = co_await readable_roots_of(s, *facts, std::move(readable));
    if (!within) co_return std::unexpected(within.error());
    f.within = std::move(*within);
  }
  if (const auto who = ctx.query("principal")) {
    auto find = [ref = *who](pqxx::connection& c) { return find_user(c, ref); };
    auto user = co_await query(s.db, std::move(find));
    if (!user) co_return std::unexpected(user.error());
    if (*user)
      f.principal_id = (*user)->id;
    else
      f.principal_id = canonical_uuid(*who).value_or("00000000-0000-0000-0000-000000000000");
  }
  co_return f;
}

// GET /v1/permissions/grants?object_type=&object_id=&principal=&include_revoked=
asio::awaitable<response> list(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto paging = read_paging(ctx);
  if (!paging) co_return error_response(paging.error());
  auto filter = co_await read_filter(s, ctx);
  if (!filter) co_return error_response(filter.error());
  filter->page = paging->page;
  filter->page_size = paging->page_size;
  auto select = [f = *filter](pqxx::connection& c) { return list_grants(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, *paging, *page, grant_json);
}

}  // namespace

void add_grant_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  // Grants are listed with role.read and given and revoked with role.assign, where the
  // object lives; giving one also needs the permission itself there (the hand-out rule).
  r.add(v::get, "/v1/permissions/grants", access::authenticated, bind(list));
  r.add(v::post, "/v1/permissions/grants", on_body_object("object", "role.assign"), bind(create));
  r.add(v::delete_, "/v1/permissions/grants/{id}", on_object("grant", "role.assign"), bind(revoke));
}

}  // namespace tenantry::api
