#pragma once
// Facts about object permission grants: one permission on one object for a user or a group.

#include <optional>
#include <string>
#include <variant>

#include "events/event_contract.hpp"
#include "events/ids.hpp"

namespace tenantry {

// One permission given to a user or a group on one object: on a tenant it holds for the
// tenant's subtree, on any other object for that object only. `tenant` is the tenant that
// owns the object (the tenant itself for a tenant), none for a platform-level object.
struct permission_granted {
  grant_id id;
  std::string principal_type;  // "user" or "group"
  std::string principal_id;
  std::string permission;
  std::string object_type;  // "tenant", "group", ...
  std::string object_id;
  std::optional<tenant_id> tenant;
};

struct permission_revoked {
  grant_id id;
  std::string reason;  // "revoked", ...
};

// The events of the grants resource.
using grant_event = std::variant<permission_granted, permission_revoked>;

template <>
struct event_contract<permission_granted> {
  static constexpr std::string_view type = "tenantry.permission.granted.v1";
  static constexpr std::string_view aggregate = "permission_grant";
  static constexpr auto fields =
      std::tuple{field("id", &permission_granted::id),
                 field("principal_type", &permission_granted::principal_type),
                 field("principal_id", &permission_granted::principal_id),
                 field("permission", &permission_granted::permission),
                 field("object_type", &permission_granted::object_type),
                 field("object_id", &permission_granted::object_id),
                 field("tenant", &permission_granted::tenant)};
};

template <>
struct event_contract<permission_revoked> {
  static constexpr std::string_view type = "tenantry.permission.revoked.v1";
  static constexpr std::string_view aggregate = "permission_grant";
  static constexpr auto fields = std::tuple{field("id", &permission_revoked::id),
                                            field("reason", &permission_revoked::reason)};
};

}  // namespace tenantry
