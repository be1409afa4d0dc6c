#pragma once
// What a client asks of access inside tenants (custom roles, role assignments,
// memberships), as plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"

namespace tenantry {

// Custom roles of a tenant (`role` is the role's id; names are unique per tenant).
struct define_role {
  std::string tenant_ref;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
};

struct change_role {
  std::string tenant_ref;
  std::string role;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
  std::optional<std::int64_t> expected_version;
};

struct delete_role {
  std::string tenant_ref;
  std::string role;
};

struct assign_role {
  std::string tenant_ref;
  std::string principal_type;  // "user" or "group"
  std::string principal_ref;
  std::string role;  // a built-in name, or a custom role's id or name
  std::optional<timestamp> expires_at;
};

struct revoke_role_assignment {
  std::string tenant_ref;
  std::string assignment;
};

struct add_member {
  std::string tenant_ref;
  std::string user_ref;
  std::vector<std::string> roles;
};

struct change_member {
  std::string tenant_ref;
  std::string user_ref;
  std::vector<std::string> roles;
  std::optional<std::int64_t> expected_version;
};

struct remove_member {
  std::string tenant_ref;
  std::string user_ref;
};

using access_command =
    std::variant<define_role, change_role, delete_role, assign_role, revoke_role_assignment,
                 add_member, change_member, remove_member>;

}  // namespace tenantry
