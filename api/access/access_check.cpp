#include "api/access/access_check.hpp"

#include "api/guards/platform_roles.hpp"
#include "api/guards/authorization.hpp"
#include "api/command_execution.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/users/user_handlers.hpp"
#include "projections/postgres/postgres_codec.hpp"
#include "projections/tokens/token_queries.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

// What the check asks; `principal` none: the caller itself (for principal_type user).
struct check_query {
  std::string permission, object_type, object_id, principal_type;
  std::optional<std::string> principal;
};

result<check_query> read_check_query(const request_context& ctx) {
  check_query q{ctx.query("permission").value_or(""), ctx.query("object_type").value_or("tenant"),
                ctx.query("object_id").value_or(""), ctx.query("principal_type").value_or("user"),
                ctx.query("principal")};
  json problems = json::object();
  if (!is_tenant_permission(q.permission) && q.permission != tenant_lifecycle &&
      q.permission != manage_root_tenants && q.permission != manage_users)
    problems["permission"] = "unknown permission";
  if (q.object_type != "tenant" && q.object_type != "group" && q.object_type != "platform")
    problems["object_type"] = "must be tenant, group or platform";
  if (q.object_type != "platform" && q.object_id.empty()) problems["object_id"] = "is required";
  if (!is_principal_type(q.principal_type))
    problems["principal_type"] = "must be user, group or token";
  else if (q.principal_type != "user" && q.principal.value_or("").empty())
    problems["principal"] = "is required with principal_type " + q.principal_type;
  if (!problems.empty())
    return fail(errc::invalid_argument, "validation_error",
                "The check needs a known permission, an object and a principal.", problems);
  return q;
}

// Whose access is checked. `id` empty: a user ref that names nobody the caller may see
// (404 once the object has been authorized, so that an object the caller may not see stays
// hidden first).
struct checked_principal {
  std::string type, id;
  bool self = false;  // the caller itself, or the API token it acts through
  std::vector<std::string> platform_roles = {};  // a user's
};

asio::awaitable<result<checked_principal>> find_user_principal(services& s, request_context& ctx,
                                                               const check_query& q) {
  const std::string who = q.principal.value_or(ctx.caller->user_id);
  auto find = [who](pqxx::connection& c) { return find_user(c, who); };
  auto user = co_await query(s.db, std::move(find));
  if (!user) co_return std::unexpected(user.error());
  if (!*user) co_return checked_principal{"user", ""};
  const bool self = (*user)->id == ctx.caller->user_id;
  // A user the caller may not see is answered exactly like one that does not exist, so
  // that the check never tells whether an email has an account.
  if (!self) {
    auto visible = co_await users::may_see(s, ctx, (*user)->id);
    if (!visible) co_return std::unexpected(visible.error());
    if (!*visible) co_return checked_principal{"user", ""};
  }
  co_return checked_principal{"user", (*user)->id, self, (*user)->platform_roles};
}

// A group or a token is found only where the caller may see it, as on its own routes.
asio::awaitable<result<checked_principal>> find_principal(services& s, request_context& ctx,
                                                          const check_query& q) {
  if (q.principal_type == "user") co_return co_await find_user_principal(s, ctx, q);
  const auto& token = ctx.caller->token;
  if (q.principal_type == "token" && token &&
      canonical_uuid(*q.principal) == canonical_uuid(token->limit.token_id))
    co_return checked_principal{"token", token->limit.token_id, true};
  std::string kind = q.principal_type;  // named locals: g++ 12 (docs/development.md)
  std::string seeing(visibility_permission(kind));
  std::string ref = *q.principal;
  auto owner =
      co_await authorize_on_object(s, ctx, std::move(kind), std::move(seeing), std::move(ref));
  if (!owner) co_return std::unexpected(owner.error());
  co_return checked_principal{q.principal_type, owner->id};
}

// The object asked about: its tenant's path (empty: the platform) and, for a group, itself.
struct checked_object {
  std::vector<std::string> path;
  std::optional<access_object> object;
};

// One's own access needs seeing the object; another principal's needs role.read there (on
// the platform, a platform role).
asio::awaitable<result<checked_object>> authorize_object(services& s, request_context& ctx,
                                                         const check_query& q, bool self) {
  std::string ref = q.object_id;
  if (q.object_type == "tenant") {
    std::string needed = self ? "tenant.read" : "role.read";
    auto tenant = co_await authorize_on_tenant(s, ctx, std::move(needed), std::move(ref));
    if (!tenant) co_return std::unexpected(tenant.error());
    if (tenant->is_deleted) co_return tenant_not_found(q.object_id);
    co_return checked_object{tenant->path, std::nullopt};
  }
  if (q.object_type == "group") {
    std::string kind = q.object_type;
    std::string needed(self ? visibility_permission(kind) : "role.read");
    auto owner =
        co_await authorize_on_object(s, ctx, std::move(kind), std::move(needed), std::move(ref));
    if (!owner) co_return std::unexpected(owner.error());
    co_return checked_object{owner->path, access_object{q.object_type, owner->id}};
  }
  if (!self && !has_platform_role(*ctx.caller))
    co_return fail(errc::permission_denied, "permission_denied",
                   "Only platform roles may check another principal's platform access.");
  co_return checked_object{};
}

// An API token's facts: its creator's current ones, limited by the token while it can act.
asio::awaitable<result<access_facts>> token_principal_facts(services& s, const std::string& id) {
  auto find = [id](pqxx::connection& c) { return find_token_credential_by_id(c, id); };
  auto token = co_await query(s.db, std::move(find));
  if (!token) co_return std::unexpected(token.error());
  if (!*token) co_return access_facts{};  // its tenant was deleted meanwhile: it holds nothing
  token_credential& t = **token;
  std::vector<std::string> roles = t.creator_platform_roles;
  auto creator = co_await facts_of(s, t.created_by, std::move(roles));
  if (!creator) co_return std::unexpected(creator.error());
  const token_holder holder{token_limit{t.id, t.tenant_id, t.scopes}, t.is_revoked, t.expires_at,
                            t.creator_active};
  co_return token_facts(std::move(*creator), holder, s.clock());
}

asio::awaitable<result<access_facts>> principal_facts(services& s, request_context& ctx,
                                                      const checked_principal& p,
                                                      const std::string& permission) {
  if (p.self && ctx.caller->token)
    co_return co_await caller_facts(s, ctx, permission);  // what the token itself may do
  if (p.type == "user") {
    std::vector<std::string> roles = p.platform_roles;
    co_return co_await facts_of(s, p.id, std::move(roles));
  }
  if (p.type == "token") co_return co_await token_principal_facts(s, p.id);
  auto select = [id = p.id](pqxx::connection& c) { return bindings_of_group(c, id); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return std::unexpected(rows.error());
  std::vector<access_binding> held;
  for (const binding_row& row : *rows) held.push_back(binding_of(row));
  co_return group_facts(p.id, std::move(held));
}

json answer(const check_query& q, const checked_principal& p, const checked_object& o,
            const access_decision& d) {
  json asked = {{"type", q.object_type}};
  if (q.object_type == "tenant") asked["id"] = o.path.empty() ? json(nullptr) : json(o.path.back());
  if (o.object) asked["id"] = o.object->id;
  return json{{"allowed", d.allowed},
              {"because", d.because},
              {"principal", {{"type", p.type}, {"id", p.id}}},
              {"permission", q.permission},
              {"object", asked}};
}

}  // namespace

asio::awaitable<response> authz_check(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto q = read_check_query(ctx);
  if (!q) co_return error_response(q.error());
  auto who = co_await find_principal(s, ctx, *q);
  if (!who) co_return error_response(who.error());
  auto object = co_await authorize_object(s, ctx, *q, who->self);
  if (!object) co_return error_response(object.error());
  if (who->id.empty())
    co_return error_response(errc::not_found, "not_found",
                             "No user '" + q->principal.value_or("") + "' exists.",
                             {{"resource", "user"}});
  auto facts = co_await principal_facts(s, ctx, *who, q->permission);
  if (!facts) co_return error_response(facts.error());
  const access_decision d =
      check_access(*facts, object->path, q->permission, s.clock(), object->object);
  co_return json_response(200, answer(*q, *who, *object, d));
}

}  // namespace tenantry::api
