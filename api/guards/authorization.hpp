#pragma once
// Authorization on the read side: the caller's roles from the token and the access read
// models, judged by the same policy the writer uses (commands/access/access_policy.hpp).
// Writes are judged by the writer itself, on its own state (command_authorization).

#include <optional>
#include <string>
#include <vector>

#include "api/http/request_context.hpp"
#include "api/services.hpp"
#include "commands/access/access_policy.hpp"
#include "projections/access/access_queries.hpp"

namespace tenantry::api {

access_binding binding_of(const binding_row& row);

// The principal's platform roles and every role it holds on a tenant.
asio::awaitable<result<access_facts>> facts_of(services& s, const std::string& user_id,
                                               std::vector<std::string> platform_roles);

// The caller's facts for judging `permission`: its platform roles alone when they hold the
// permission everywhere (no query), else with its bindings, read once per request.
asio::awaitable<result<access_facts>> caller_facts(services& s, request_context& ctx,
                                                   std::string_view permission);

// Whether the caller may use `permission` on the tenant `ref`: 404 when it may not read
// the tenant (or there is none), 403 when it may read it but not do this.
asio::awaitable<result<tenant_path>> authorize_on_tenant(services& s, request_context& ctx,
                                                         std::string permission, std::string ref);

// The path's tenant as its guard found it, unless deleted: what lives in a deleted tenant
// is hidden with it (404 naming the tenant) until a restore brings it back.
result<void> live_path_tenant(const request_context& ctx);

// Whether the caller may use `permission` on the object `ref` of `kind` (on the tenant
// owning it, or the platform): 404 naming the kind when it may not see the object (or
// there is none), 403 when it may see it but not do this. The object's party (an
// invitation's invitee) sees it, and may use it too when `party` says so.
asio::awaitable<result<object_owner>> authorize_on_object(services& s, request_context& ctx,
                                                          std::string kind, std::string permission,
                                                          std::string ref,
                                                          object_party party = object_party::none);

// 403 unless a platform role of the caller holds `permission`.
result<void> authorize_on_platform(const request_context& ctx, std::string_view permission);

// What the writer checks before it decides the request's command.
command_authorization writer_check(const principal& caller, std::string permission,
                                   std::optional<std::string> tenant_ref);

// What the writer checks for an object guard: it finds the object's tenant itself.
command_authorization object_check(const principal& caller, std::string permission,
                                   std::string kind, std::string ref,
                                   object_party party = object_party::none);

// The tenants whose subtrees the caller may read with `permission`; nullopt when a
// platform role lets it read everything.
std::optional<std::vector<std::string>> readable_roots(const access_facts& facts,
                                                       std::string_view permission, timestamp now);
// readable_roots for any caller: an API token's facts reach only inside its tenant's subtree
// (which takes the read models to work out when its creator's roles lie below it).
asio::awaitable<result<std::optional<std::vector<std::string>>>> readable_roots_of(
    services& s, const access_facts& facts, std::string permission);

}  // namespace tenantry::api
