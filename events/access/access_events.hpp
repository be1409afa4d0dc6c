#pragma once
// Facts about access inside tenants: custom roles, role assignments and memberships.

#include <optional>
#include <string>
#include <vector>

#include "events/clock.hpp"
#include "events/ids.hpp"

namespace tenantry {

// A custom role, defined on a tenant and assignable there and in its subtree.
struct role_defined {
  role_id id;
  tenant_id tenant;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
};

// A PUT: the role's name, description and permissions are replaced.
struct role_changed {
  role_id id;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
};

struct role_deleted {
  role_id id;
};

// A role held by a user or a group on a tenant and its subtree, until revoked or expired.
// `role` is a built-in role's name or a custom role's id.
struct role_assigned {
  assignment_id id;
  tenant_id tenant;
  std::string principal_type;  // "user" or "group"
  std::string principal_id;
  std::string role;
  std::optional<timestamp> expires_at;
};

struct role_assignment_revoked {
  assignment_id id;
  std::string reason;  // "revoked", "user_deleted", ...
};

// A user's membership of a tenant, with the roles it holds there.
struct member_added {
  membership_id id;
  tenant_id tenant;
  user_id user;
  std::vector<std::string> roles;
};

struct member_changed {
  membership_id id;
  std::vector<std::string> roles;
};

struct member_removed {
  membership_id id;
};

}  // namespace tenantry
