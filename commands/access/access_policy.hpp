#pragma once
// The authorization model, as one pure function: which permissions exist, what each
// built-in role holds, and whether a principal may do something on a tenant (and why).
// The writer evaluates it on its write model, the read side on facts read from
// PostgreSQL: one rule, two sources of facts.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/clock.hpp"

namespace tenantry {

// The permissions a tenant role can hold (`GET /v1/permissions`).
inline constexpr std::string_view tenant_permissions[] = {
    "tenant.read",   "tenant.update",     "tenant.create_child", "tenant.delete",   "member.read",
    "member.manage", "invitation.manage", "role.read",           "role.manage",     "role.assign",
    "group.manage",  "site.read",         "site.manage",         "quota.read",      "quota.manage",
    "config.read",   "config.manage",     "document.read",       "document.manage", "token.manage",
    "audit.read"};

// Operations only platform roles hold; no tenant role can be given them.
inline constexpr std::string_view tenant_lifecycle = "platform.tenant_lifecycle";
inline constexpr std::string_view manage_root_tenants = "platform.manage_tenants";
inline constexpr std::string_view manage_users = "platform.manage_users";
inline constexpr std::string_view platform_permissions[] = {tenant_lifecycle, manage_root_tenants,
                                                            manage_users};
bool is_platform_permission(std::string_view permission);

bool is_tenant_permission(std::string_view permission);
bool is_read_permission(std::string_view permission);
std::string_view describe_permission(std::string_view permission);

// tenant_admin, member, viewer.
inline constexpr std::string_view builtin_tenant_roles[] = {"tenant_admin", "member", "viewer"};
bool is_builtin_tenant_role(std::string_view role);
std::vector<std::string> builtin_role_permissions(std::string_view role);

// Whether a platform role holds `permission` (tenant or platform-only) everywhere.
bool platform_role_grants(std::string_view platform_role, std::string_view permission);

// A role a principal holds on one tenant, through a membership or an assignment (to the
// user, or to a group it belongs to), or one permission given by an object grant.
struct access_binding {
  std::string source;  // "membership", "assignment", "grant"
  std::string source_id;
  std::string role;       // built-in name or custom role id (a grant: its permission)
  std::string role_name;  // for explanations
  std::string tenant_id;  // a grant on another object: the tenant owning it ("": platform)
  std::optional<std::string> group_id;  // set when held through a group
  std::optional<timestamp> expires_at;
  std::vector<std::string> permissions;
  // Set for a grant on one object other than a tenant: it holds for that object only.
  std::string object_type = {};
  std::string object_id = {};
};

// What an API token leaves of its creator's access: its tenant's subtree only, its scopes
// only. Never a platform-only permission, never token.manage (tokens cannot mint tokens).
struct token_limit {
  std::string token_id;
  std::string tenant_id;
  std::vector<std::string> scopes;
};

// A permission an API token may carry: any tenant permission but token.manage.
bool is_token_scope(std::string_view permission);

struct access_facts {
  std::vector<std::string> platform_roles;
  std::vector<access_binding> bindings;
  // Set for an API token: the roles above are its creator's (current ones), and this limits
  // them, so a token never holds more than its creator does at the time of use.
  std::optional<token_limit> token = std::nullopt;
};

struct access_decision {
  bool allowed = false;
  // What decided, e.g. [{"kind":"role","role":"tenant_admin","tenant_id":...,"via":...}].
  nlohmann::json because = nlohmann::json::array();
};

// One object access is asked about (a group, ...), beside the tenant path that owns it.
struct access_object {
  std::string type;
  std::string id;
};

// May the principal use `permission` on the tenant whose path (root first, the tenant
// itself last) is `tenant_path`? An empty path asks for the platform level: only
// platform roles decide there. Expired bindings count for nothing. With `object`, on that
// object owned by that tenant (or by the platform): grants on the object count too. An API
// token's facts hold only what both its limit and its creator's roles allow.
access_decision check_access(const access_facts& facts, std::span<const std::string> tenant_path,
                             std::string_view permission, timestamp now,
                             const std::optional<access_object>& object = std::nullopt);

// The kinds of objects a route guard can name (and that own-tenant lookups know), with the
// permission that lets a caller see one: without it the object is 404, as if missing. A
// kind with a party (the user an invitation was sent to) is also seen by that user.
struct object_kind {
  std::string_view name;
  std::string_view read_permission;
  std::string_view party = {};
};
inline constexpr object_kind object_kinds[] = {{"tenant", "tenant.read"},
                                               {"group", "member.read"},
                                               {"grant", "role.read"},
                                               {"invitation", "member.read", "invitee"},
                                               {"token", "token.manage"}};
// The kind's read permission; empty for an unknown kind.
std::string_view visibility_permission(std::string_view kind);
// The kind's party ("invitee"); empty when it has none.
std::string_view party_of_kind(std::string_view kind);
// Whose access a check can ask about (GET /v1/authz/check?principal_type=): a user, a group
// or an API token.
inline constexpr std::string_view principal_types[] = {"user", "group", "token"};
bool is_principal_type(std::string_view type);

// What a group holds: the roles assigned to it and the permissions granted to it (which its
// members hold through it), each naming the group; never a platform role. `held` may hold
// other bindings too (a member's own): only the group's are kept.
access_facts group_facts(std::string_view group_id, std::vector<access_binding> held);

// An API token as a check of its access sees it: its limit and whether it can act.
struct token_holder {
  token_limit limit;
  bool revoked = false;
  timestamp expires_at{};
  bool creator_active = true;
};

// What an API token holds at `now`: its creator's current facts limited by the token while
// it can act (neither revoked nor expired, its creator active); nothing once it cannot.
access_facts token_facts(access_facts creator, const token_holder& token, timestamp now);

// The object types a permission can be granted on (POST /v1/permissions/grants).
inline constexpr std::string_view grantable_object_types[] = {"tenant", "group"};
bool is_grantable_object_type(std::string_view type);

}  // namespace tenantry
