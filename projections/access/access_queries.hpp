#pragma once
// Queries of the access read models (roles, role assignments, memberships) and the facts
// authorization needs from the read side: plain rows out, libpqxx exceptions on failures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct role_row {
  std::string id, tenant_id, name, description;
  std::vector<std::string> permissions;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

struct assignment_row {
  std::string id, tenant_id, principal_type, principal_id, role, role_name;
  std::optional<timestamp> expires_at;
  bool is_revoked = false;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

struct member_row {
  std::string id, tenant_id, user_id, email, name;
  std::vector<std::string> roles;       // built-in names and custom role ids
  std::vector<std::string> role_names;  // the same roles, named
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

// A role the user holds on a tenant. `permissions` is filled for custom roles only:
// built-in roles' permissions are the policy's (commands/access/access_policy.hpp).
// A grant is a binding too: source "grant", role = its permission, tenant_id = the tenant
// owning the object ("" for the platform), object_* set when the object is not a tenant.
struct binding_row {
  std::string source;  // "membership", "assignment" or "grant"
  std::string source_id, role, role_name, tenant_id;
  bool custom = false;
  std::vector<std::string> permissions;
  std::optional<timestamp> expires_at;
  std::optional<std::string> group_id = {};  // held through this group
  std::string object_type = {}, object_id = {};
};

// A tenant as authorization sees it: its id and the ids from the root down to it.
struct tenant_path {
  std::string id;
  std::vector<std::string> path;
  bool is_deleted = false;
};

// By id or slug, deleted ones too.
std::optional<tenant_path> find_tenant_path(pqxx::connection& conn, std::string_view ref);
// A tenant's ltree path as the ids from the root down.
std::vector<std::string> tenant_path_ids(std::string_view ltree_path);

// Every role and grant the user holds anywhere, its own and its live groups' (not
// revoked; expiry is left to the policy).
std::vector<binding_row> bindings_of_user(pqxx::connection& conn, const std::string& user_id);
// What a group holds and its members hold through it: the roles assigned to it and the
// permissions granted to it (not revoked; expiry is left to the policy). Whether the group
// is live is the caller's to know.
std::vector<binding_row> bindings_of_group(pqxx::connection& conn, const std::string& group_id);

// The custom roles defined on these tenants (a tenant and its ancestors), by name.
std::vector<role_row> roles_on(pqxx::connection& conn, const std::vector<std::string>& tenant_ids);
std::optional<role_row> find_role(pqxx::connection& conn, const std::string& tenant_id,
                                  std::string_view role_id);

struct assignment_page {
  std::int64_t count = 0;
  std::vector<assignment_row> rows;
};
// The tenant's role assignments, oldest first; revoked ones only when asked.
assignment_page list_assignments(pqxx::connection& conn, const std::string& tenant_id,
                                 bool include_revoked, int page, int page_size);

struct member_page {
  std::int64_t count = 0;
  std::vector<member_row> rows;
};
member_page list_members(pqxx::connection& conn, const std::string& tenant_id,
                         const std::string& search, int page, int page_size);
// The member by user id or email.
std::optional<member_row> find_member(pqxx::connection& conn, const std::string& tenant_id,
                                      std::string_view user_ref);
// The tenants (paths) where the user is a member: who may see the user.
std::vector<tenant_path> membership_paths(pqxx::connection& conn, const std::string& user_id);

}  // namespace tenantry
