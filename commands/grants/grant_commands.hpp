#pragma once
// What a client asks of object permission grants, as plain data.

#include <string>
#include <variant>

namespace tenantry {

// One permission on one object for a user or a group (object types: tenant, group).
struct grant_permission {
  std::string principal_type;  // "user" or "group"
  std::string principal_ref;
  std::string permission;
  std::string object_type;
  std::string object_ref;
};

struct revoke_permission {
  std::string grant;
};

using grant_command = std::variant<grant_permission, revoke_permission>;

}  // namespace tenantry
