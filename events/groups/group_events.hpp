#pragma once
// Facts about groups of users (at platform level or owned by a tenant) and about object
// permission grants.

#include <optional>
#include <string>

#include "events/ids.hpp"

namespace tenantry {

// A group of users; `tenant` is the tenant that owns it, none for a platform group.
struct group_created {
  group_id id;
  std::optional<tenant_id> tenant;
  std::string slug;
  std::string name;
  std::string description;
};

// A PUT or PATCH: the fields that changed; absent ones are unchanged.
struct group_updated {
  group_id id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
};

// A soft delete: the group's members and role assignments stop counting at once.
struct group_deleted {
  group_id id;
};

// A user joins or leaves a group (events of the group's aggregate).
struct group_member_added {
  group_id id;
  user_id user;
};

struct group_member_removed {
  group_id id;
  user_id user;
};

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

}  // namespace tenantry
