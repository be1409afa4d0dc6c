#pragma once
// The grants aggregate: each object permission grant, the grants of each principal
// ("user:<id>" or "group:<id>"), and their rules. Pure: no I/O, no clock.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/access/access_policy.hpp"
#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/grants/grant_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

class tenant_aggregate;

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
  using commands = grant_command;
  using events = grant_event;

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
  // The version before the event (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: the id of the root organization of the
  // tenant owning it (its own id when the platform owns it).
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

 private:
  std::unordered_map<grant_id, grant_state> grants_;
  std::unordered_map<std::string, std::vector<grant_id>> by_principal_;
};

class write_model;
// The rules of grants, decided on the whole write model (grant_decide.cpp).
result<std::vector<event>> decide(const write_model& model, const grant_command& command,
                                  const decide_context& ctx);
// One grant, as another command's decide can issue it (an accepted invitation's
// permissions): the event, or none when the principal already holds exactly this grant.
// Authorization (the hand-out rule) is the caller's: the writer checks the request.
result<std::optional<permission_granted>> decide_grant(const write_model& model,
                                                       const grant_permission& command,
                                                       const decide_context& ctx);
// A grant hands out its permission on its object.
caller_demands demands_of(const write_model& model, const grant_command& command);

}  // namespace tenantry
