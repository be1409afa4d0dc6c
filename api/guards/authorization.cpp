#include "api/guards/authorization.hpp"

#include <algorithm>

#include "api/http/offload.hpp"
#include "commands/object_kinds.hpp"
#include "projections/tokens/token_queries.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {

access_binding binding_of(const binding_row& row) {
  access_binding b{
      row.source,     row.source_id,
      row.role,       row.role_name,
      row.tenant_id,  row.group_id,
      row.expires_at, row.custom ? row.permissions : builtin_role_permissions(row.role)};
  b.object_type = row.object_type;
  b.object_id = row.object_id;
  return b;
}

asio::awaitable<result<access_facts>> facts_of(services& s, const std::string& user_id,
                                               std::vector<std::string> platform_roles) {
  auto select = [user_id](pqxx::connection& c) { return bindings_of_user(c, user_id); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return std::unexpected(rows.error());
  access_facts facts{std::move(platform_roles), {}};
  for (const binding_row& row : *rows) facts.bindings.push_back(binding_of(row));
  co_return facts;
}

asio::awaitable<result<access_facts>> caller_facts(services& s, request_context& ctx,
                                                   std::string_view permission) {
  access_facts platform_only{ctx.caller->platform_roles, {}};
  if (check_access(platform_only, {}, permission, s.clock()).allowed) co_return platform_only;
  if (!ctx.facts) {
    // An API token: its creator's roles, limited by the token.
    const auto& token = ctx.caller->token;
    std::vector<std::string> roles =  // a named local: g++ 12
        token ? token->creator_platform_roles : ctx.caller->platform_roles;
    auto facts = co_await facts_of(s, ctx.caller->user_id, std::move(roles));
    if (!facts) co_return std::unexpected(facts.error());
    if (token) facts->token = token->limit;
    ctx.facts = std::move(*facts);
  }
  co_return *ctx.facts;
}

asio::awaitable<result<tenant_path>> authorize_on_tenant(services& s, request_context& ctx,
                                                         std::string permission, std::string ref) {
  auto hidden = [&ref] { return tenant_not_found(ref); };
  auto find = [ref](pqxx::connection& c) { return find_tenant_path(c, ref); };
  auto tenant = co_await query(s.db, std::move(find));
  if (!tenant) co_return std::unexpected(tenant.error());
  if (!*tenant) co_return hidden();
  const timestamp now = s.clock();
  auto facts = co_await caller_facts(s, ctx, permission);
  if (!facts) co_return std::unexpected(facts.error());
  if (check_access(*facts, (*tenant)->path, permission, now).allowed) co_return std::move(**tenant);
  if (!check_access(*facts, (*tenant)->path, "tenant.read", now).allowed) co_return hidden();
  co_return fail(errc::permission_denied, "permission_denied",
                 "You lack the permission " + permission + " on tenant '" + ref + "'.",
                 {{"permission", permission}});
}

// Whether the caller is the object's party: a user (never an API token acting for it)
// whose email is the party's.
asio::awaitable<result<bool>> is_party(services& s, const request_context& ctx,
                                       const object_owner& owner) {
  if (owner.party.empty() || ctx.caller->token) co_return false;
  auto find = [id = ctx.caller->user_id](pqxx::connection& c) { return find_user(c, id); };
  auto user = co_await query(s.db, std::move(find));
  if (!user) co_return std::unexpected(user.error());
  co_return *user && (*user)->email == owner.party;
}

asio::awaitable<result<object_owner>> authorize_on_object(services& s, request_context& ctx,
                                                          std::string kind, std::string permission,
                                                          std::string ref, object_party party) {
  auto hidden = [&] { return object_not_found(kind, ref); };
  auto find = [kind, ref](pqxx::connection& c) { return find_object_owner(c, kind, ref); };
  auto owner = co_await query(s.db, std::move(find));
  if (!owner) co_return std::unexpected(owner.error());
  if (!*owner) co_return hidden();
  auto own = co_await is_party(s, ctx, **owner);
  if (!own) co_return std::unexpected(own.error());
  if (*own && party != object_party::none) co_return std::move(**owner);
  std::optional<access_object> object;
  if (kind != "tenant") object = access_object{kind, (*owner)->id};
  const timestamp now = s.clock();
  if (party != object_party::only) {
    auto facts = co_await caller_facts(s, ctx, permission);
    if (!facts) co_return std::unexpected(facts.error());
    if (check_access(*facts, (*owner)->path, permission, now, object).allowed)
      co_return std::move(**owner);
  }
  const std::string_view visible_with = visibility_permission(kind);
  auto seeing = co_await caller_facts(s, ctx, visible_with);
  if (!seeing) co_return std::unexpected(seeing.error());
  if (!*own && !check_access(*seeing, (*owner)->path, visible_with, now, object).allowed)
    co_return hidden();
  if (party == object_party::only)
    co_return fail(
        errc::permission_denied, "permission_denied",
        "Only the " + std::string(party_of_kind(kind)) + " of this " + kind + " may do this.",
        {{"party", std::string(party_of_kind(kind))}});
  co_return fail(errc::permission_denied, "permission_denied",
                 "You lack the permission " + permission + " on " + kind + " '" + ref + "'.",
                 {{"permission", permission}});
}

result<void> authorize_on_platform(const request_context& ctx, std::string_view permission) {
  const access_facts facts{ctx.caller->platform_roles, {}};
  if (check_access(facts, {}, permission, timestamp{}).allowed) return {};
  return fail(errc::permission_denied, "permission_denied",
              "This needs a platform role holding " + std::string(permission) + ".",
              {{"permission", std::string(permission)}});
}

command_authorization writer_check(const principal& caller, std::string permission,
                                   std::optional<std::string> tenant_ref) {
  command_authorization check{caller.user_id, caller.platform_roles, std::move(permission),
                              std::move(tenant_ref)};
  if (caller.token) check.token_id = caller.token->limit.token_id;
  check.auth_generation = caller.auth_generation;
  return check;
}

command_authorization object_check(const principal& caller, std::string permission,
                                   std::string kind, std::string ref, object_party party) {
  command_authorization a{caller.user_id, caller.platform_roles, std::move(permission),
                          std::nullopt};
  a.object_kind = std::move(kind);
  a.object_ref = std::move(ref);
  if (caller.token) a.token_id = caller.token->limit.token_id;
  a.auth_generation = caller.auth_generation;
  a.party = party;
  return a;
}

std::optional<std::vector<std::string>> readable_roots(const access_facts& facts,
                                                       std::string_view permission, timestamp now) {
  const access_facts platform_only{facts.platform_roles, {}};
  if (check_access(platform_only, {}, permission, now).allowed) return std::nullopt;
  std::vector<std::string> roots;
  for (const access_binding& b : facts.bindings) {
    if (b.expires_at && *b.expires_at <= now) continue;
    if (!b.object_type.empty()) continue;  // a grant on one object opens no tenant
    if (std::ranges::find(b.permissions, permission) == b.permissions.end()) continue;
    if (std::ranges::find(roots, b.tenant_id) == roots.end()) roots.push_back(b.tenant_id);
  }
  return roots;
}

asio::awaitable<result<std::optional<std::vector<std::string>>>> readable_roots_of(
    services& s, const access_facts& facts, std::string permission) {
  using roots = std::optional<std::vector<std::string>>;
  if (!facts.token) co_return readable_roots(facts, permission, s.clock());
  const token_limit& limit = *facts.token;
  if (!is_token_scope(permission) ||
      std::ranges::find(limit.scopes, permission) == limit.scopes.end())
    co_return roots(std::vector<std::string>{});
  access_facts creator = facts;
  creator.token.reset();
  const roots held = readable_roots(creator, permission, s.clock());
  if (!held) co_return roots(std::vector<std::string>{limit.tenant_id});
  // Held on the token's tenant or above: its whole subtree; else the roots inside it.
  auto select = [tenant = limit.tenant_id, candidates = *held](pqxx::connection& c) {
    const auto path = find_tenant_path(c, tenant);
    if (!path) return std::vector<std::string>{};
    for (const std::string& id : candidates)
      if (std::ranges::find(path->path, id) != path->path.end()) return std::vector{tenant};
    return tenants_within(c, tenant, candidates);
  };
  auto found = co_await query(s.db, std::move(select));
  if (!found) co_return std::unexpected(found.error());
  co_return roots(std::move(*found));
}

result<void> live_path_tenant(const request_context& ctx) {
  if (ctx.tenant && !ctx.tenant->is_deleted) return {};
  return tenant_not_found(ctx.params[0]);
}

}  // namespace tenantry::api
