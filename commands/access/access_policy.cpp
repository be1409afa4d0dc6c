#include "commands/access/access_policy.hpp"

#include <algorithm>

namespace tenantry {
namespace {

bool contains(std::span<const std::string_view> list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

struct description {
  std::string_view permission, text;
};

constexpr description descriptions[] = {
    {"tenant.read", "See the tenant and its subtree."},
    {"tenant.update", "Rename the tenant, change its description, move it."},
    {"tenant.create_child", "Create tenants below it."},
    {"tenant.delete", "Delete and restore the tenant and its subtree."},
    {"member.read", "See the tenant's members and their users."},
    {"member.manage", "Add, change and remove members."},
    {"invitation.manage", "Invite users, revoke invitations."},
    {"role.read", "See roles and role assignments."},
    {"role.manage", "Define, change and delete custom roles."},
    {"role.assign", "Assign and revoke roles."},
    {"group.manage", "Create groups and manage their members."},
    {"site.read", "See sites and domains."},
    {"site.manage", "Create, change and delete sites and domains."},
    {"quota.read", "See quotas and usage."},
    {"quota.manage", "Set quotas."},
    {"config.read", "See configuration and feature flags."},
    {"config.manage", "Change configuration and feature flags."},
    {"document.read", "Read documents."},
    {"document.manage", "Create, change and delete documents."},
    {"token.manage", "Create and revoke API tokens."},
    {"audit.read", "Read the audit trail."},
};

}  // namespace

bool is_platform_permission(std::string_view permission) {
  return std::ranges::find(platform_permissions, permission) != std::end(platform_permissions);
}

bool is_tenant_permission(std::string_view permission) {
  return contains(tenant_permissions, permission);
}

bool is_token_scope(std::string_view permission) {
  return is_tenant_permission(permission) && permission != "token.manage";
}

namespace {

bool token_permits(const token_limit& t, std::span<const std::string> tenant_path,
                   std::string_view permission) {
  return is_token_scope(permission) && std::ranges::find(t.scopes, permission) != t.scopes.end() &&
         std::ranges::find(tenant_path, t.tenant_id) != tenant_path.end();
}

}  // namespace

bool is_read_permission(std::string_view permission) {
  return permission.ends_with(".read");
}

std::string_view describe_permission(std::string_view permission) {
  for (const auto& d : descriptions)
    if (d.permission == permission) return d.text;
  return {};
}

bool is_builtin_tenant_role(std::string_view role) {
  return contains(builtin_tenant_roles, role);
}

std::vector<std::string> builtin_role_permissions(std::string_view role) {
  std::vector<std::string> out;
  for (std::string_view p : tenant_permissions)
    if (role == "tenant_admin" || (role == "member" && is_read_permission(p)) ||
        (role == "viewer" && p == "tenant.read"))
      out.emplace_back(p);
  return out;
}

bool platform_role_grants(std::string_view platform_role, std::string_view permission) {
  if (platform_role == "super_admin" || platform_role == "system_admin" ||
      platform_role == "platform_admin")
    return true;
  if (platform_role == "platform_operator")
    return permission == tenant_lifecycle || is_read_permission(permission);
  return false;
}

std::string_view visibility_permission(std::string_view kind) {
  for (const object_kind& k : object_kinds)
    if (k.name == kind) return k.read_permission;
  return {};
}

std::string_view party_of_kind(std::string_view kind) {
  for (const object_kind& k : object_kinds)
    if (k.name == kind) return k.party;
  return {};
}

bool is_grantable_object_type(std::string_view type) {
  return contains(grantable_object_types, type);
}

bool is_principal_type(std::string_view type) {
  return contains(principal_types, type);
}

access_facts group_facts(std::string_view group_id, std::vector<access_binding> held) {
  std::erase_if(held, [&](const access_binding& b) { return b.group_id != group_id; });
  return access_facts{{}, std::move(held)};
}

access_facts token_facts(access_facts creator, const token_holder& token, timestamp now) {
  if (token.revoked || token.expires_at <= now || !token.creator_active)
    return access_facts{{}, {}, token.limit};
  creator.token = token.limit;
  return creator;
}

namespace {

nlohmann::json reason(const access_binding& b, bool inherited) {
  nlohmann::json why;
  if (b.source == "grant") {
    why = {
        {"kind", "grant"},
        {"id", b.source_id},
        {"permission", b.role},
        {"tenant_id", b.tenant_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.tenant_id)},
        {"inherited", inherited}};
    if (!b.object_type.empty()) why["object"] = {{"type", b.object_type}, {"id", b.object_id}};
  } else {
    why = {{"kind", b.source == "membership" ? "membership" : "role_assignment"},
           {"id", b.source_id},
           {"role", b.role_name.empty() ? b.role : b.role_name},
           {"role_id", b.role},
           {"tenant_id", b.tenant_id},
           {"inherited", inherited}};
  }
  if (b.group_id) why["group_id"] = *b.group_id;
  if (b.expires_at) why["expires_at"] = format_rfc3339(*b.expires_at);
  return why;
}

}  // namespace

access_decision check_access(const access_facts& facts, std::span<const std::string> tenant_path,
                             std::string_view permission, timestamp now,
                             const std::optional<access_object>& object) {
  access_decision d;
  if (facts.token && !token_permits(*facts.token, tenant_path, permission)) return d;
  for (const auto& role : facts.platform_roles)
    if (platform_role_grants(role, permission))
      d.because.push_back({{"kind", "platform_role"}, {"role", role}});
  if (is_tenant_permission(permission)) {
    for (const access_binding& b : facts.bindings) {
      if (b.expires_at && *b.expires_at <= now) continue;
      if (std::ranges::find(b.permissions, permission) == b.permissions.end()) continue;
      if (!b.object_type.empty()) {  // a grant on one object holds there only
        if (object && object->type == b.object_type && object->id == b.object_id)
          d.because.push_back(reason(b, false));
        continue;
      }
      const auto on_path = std::ranges::find(tenant_path, b.tenant_id);
      if (on_path == tenant_path.end()) continue;
      d.because.push_back(reason(b, on_path + 1 != tenant_path.end()));
    }
  }
  d.allowed = !d.because.empty();
  if (d.allowed && facts.token)
    d.because.push_back({{"kind", "api_token"},
                         {"id", facts.token->token_id},
                         {"tenant_id", facts.token->tenant_id}});
  return d;
}

}  // namespace tenantry
