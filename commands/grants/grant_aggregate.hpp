#pragma once
// The write model of object permission grants: each grant, and the grants of each
// principal ("user:<id>" or "group:<id>"). Pure: no I/O, no clock.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/access/access_policy.hpp"
#include "events/event.hpp"

namespace tenantry {

struct grant_state {
  grant_id id;
  std::string principal_type;
  std::string principal_id;
  std::string permission;
  std::string object_type;
  std::string object_id;
  std::optional<tenant_id> tenant;  // the tenant owning the object; none: platform level
  bool revoked = false;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

class grant_aggregate {
 public:
  const grant_state* find(const grant_id& id) const;
  // The live grants given to a principal ("user" or "group", and its id).
  std::vector<const grant_state*> grants_of(std::string_view principal_type,
                                            std::string_view principal_id) const;
  // The live grants on one object.
  std::vector<const grant_state*> grants_on(std::string_view object_type,
                                            std::string_view object_id) const;
  // The live grant of exactly this permission on this object to this principal, if any.
  const grant_state* same_grant(const permission_granted& g) const;

  // A grant as the policy sees it: on a tenant it holds for the subtree like a role with
  // one permission, on another object for that object only. `group` when held through one.
  static access_binding binding_of(const grant_state& g, std::optional<std::string> group);

  void evolve(const event& e, std::int64_t version, timestamp at);

 private:
  std::unordered_map<grant_id, grant_state> grants_;
  std::unordered_map<std::string, std::vector<grant_id>> by_principal_;
};

}  // namespace tenantry
