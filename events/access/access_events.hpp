#pragma once
// Facts about access inside tenants: custom roles, role assignments and memberships.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/event_contract.hpp"
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

// The events of the access resource: custom roles, role assignments and memberships.
using access_event =
    std::variant<role_defined, role_changed, role_deleted, role_assigned, role_assignment_revoked,
                 member_added, member_changed, member_removed>;

template <>
struct event_contract<role_defined> {
  static constexpr std::string_view type = "tenantry.role.defined.v1";
  static constexpr std::string_view aggregate = "role";
  static constexpr auto fields = std::tuple{
      field("id", &role_defined::id), field("tenant", &role_defined::tenant),
      field("name", &role_defined::name), field("description", &role_defined::description),
      field("permissions", &role_defined::permissions)};
};

template <>
struct event_contract<role_changed> {
  static constexpr std::string_view type = "tenantry.role.changed.v1";
  static constexpr std::string_view aggregate = "role";
  static constexpr auto fields =
      std::tuple{field("id", &role_changed::id), field("name", &role_changed::name),
                 field("description", &role_changed::description),
                 field("permissions", &role_changed::permissions)};
};

template <>
struct event_contract<role_deleted> {
  static constexpr std::string_view type = "tenantry.role.deleted.v1";
  static constexpr std::string_view aggregate = "role";
  static constexpr auto fields = std::tuple{field("id", &role_deleted::id)};
};

template <>
struct event_contract<role_assigned> {
  static constexpr std::string_view type = "tenantry.role_assignment.created.v1";
  static constexpr std::string_view aggregate = "role_assignment";
  static constexpr auto fields = std::tuple{field("id", &role_assigned::id),
                                            field("tenant", &role_assigned::tenant),
                                            field("principal_type", &role_assigned::principal_type),
                                            field("principal_id", &role_assigned::principal_id),
                                            field("role", &role_assigned::role),
                                            field("expires_at", &role_assigned::expires_at)};
};

template <>
struct event_contract<role_assignment_revoked> {
  static constexpr std::string_view type = "tenantry.role_assignment.revoked.v1";
  static constexpr std::string_view aggregate = "role_assignment";
  static constexpr auto fields = std::tuple{field("id", &role_assignment_revoked::id),
                                            field("reason", &role_assignment_revoked::reason)};
};

template <>
struct event_contract<member_added> {
  static constexpr std::string_view type = "tenantry.member.added.v1";
  static constexpr std::string_view aggregate = "membership";
  static constexpr auto fields =
      std::tuple{field("id", &member_added::id), field("tenant", &member_added::tenant),
                 field("user", &member_added::user), field("roles", &member_added::roles)};
};

template <>
struct event_contract<member_changed> {
  static constexpr std::string_view type = "tenantry.member.changed.v1";
  static constexpr std::string_view aggregate = "membership";
  static constexpr auto fields =
      std::tuple{field("id", &member_changed::id), field("roles", &member_changed::roles)};
};

template <>
struct event_contract<member_removed> {
  static constexpr std::string_view type = "tenantry.member.removed.v1";
  static constexpr std::string_view aggregate = "membership";
  static constexpr auto fields = std::tuple{field("id", &member_removed::id)};
};

}  // namespace tenantry
