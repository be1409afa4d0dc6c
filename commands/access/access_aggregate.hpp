#pragma once
// The access aggregate: access inside tenants (custom roles, role assignments,
// memberships), its state, decide and evolve. Pure: no I/O, no clock; the tenants and users
// it refers to come from their own aggregates.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/access/access_commands.hpp"
#include "commands/access/access_policy.hpp"
#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/groups/group_aggregate.hpp"
#include "commands/tenants/tenant_aggregate.hpp"
#include "commands/users/user_aggregate.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

struct role_state {
  role_id id;
  tenant_id tenant;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
  bool deleted = false;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

struct assignment_state {
  assignment_id id;
  tenant_id tenant;
  std::string principal_type;
  std::string principal_id;
  std::string role;
  std::optional<timestamp> expires_at;
  bool revoked = false;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

struct membership_state {
  membership_id id;
  tenant_id tenant;
  user_id user;
  std::vector<std::string> roles;
  bool removed = false;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

class access_aggregate {
 public:
  using commands = access_command;
  using events = access_event;

  const role_state* find_role(const role_id& id) const;
  const assignment_state* find_assignment(const assignment_id& id) const;
  const membership_state* find_membership(const membership_id& id) const;
  // The user's current membership of the tenant, if any.
  const membership_state* membership(const tenant_id& tenant, const user_id& user) const;
  // The tenant's live memberships of users that are not deleted: a deleted user's
  // membership is hidden everywhere until its restore, so it does not count either.
  std::size_t member_count(const tenant_id& tenant, const user_aggregate& users) const;
  // The live custom roles defined on the tenant itself.
  std::vector<const role_state*> roles_of(const tenant_id& tenant) const;

  // A role usable on `t`: a built-in name, or a live custom role (by id or name) defined
  // on `t` or one of its ancestors. Returns the role's key (name or id).
  std::optional<std::string> usable_role(const tenant_aggregate& tenants, const tenant_state& t,
                                         std::string_view ref) const;
  std::vector<std::string> role_permissions(std::string_view role) const;
  std::string role_name(std::string_view role) const;
  // Held by a live membership or a live, unexpired assignment.
  bool role_in_use(const role_id& id, timestamp now) const;

  // Every role the user holds, on any tenant, with its permissions: its own, and those
  // assigned to the (live) groups it belongs to.
  std::vector<access_binding> bindings_of(const user_id& user,
                                          const std::vector<std::string>& groups = {}) const;
  // The live (unrevoked) role assignments of a principal ("user" or "group").
  std::vector<const assignment_state*> assignments_of(std::string_view principal_type,
                                                      std::string_view principal_id) const;

  // The tenant an access event belongs to.
  std::optional<tenant_id> tenant_of(const event& e) const;
  // The role's, assignment's or membership's version before the event (0: a new one).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: its tenant's root organization's id.
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

  void evolve(const event& e, std::int64_t version, timestamp at);

 private:
  std::unordered_map<role_id, role_state> roles_;
  std::unordered_map<assignment_id, assignment_state> assignments_;
  std::unordered_map<membership_id, membership_state> memberships_;
  std::unordered_map<std::string, std::vector<assignment_id>> assignments_by_principal_;
  std::unordered_map<user_id, std::vector<membership_id>> memberships_by_user_;
  std::unordered_map<tenant_id, std::vector<membership_id>> memberships_by_tenant_;
};

// Rules memberships share with invitations.
// The roles usable on `t` (see usable_role), as keys, each once; 400 naming the first that
// is not.
result<std::vector<std::string>> usable_roles(const access_aggregate& dir,
                                              const tenant_aggregate& tenants,
                                              const tenant_state& t,
                                              const std::vector<std::string>& given);
// Tenant permissions, sorted, each once; 400 naming the first unknown one.
result<std::vector<std::string>> checked_permissions(const std::vector<std::string>& given);

result<std::vector<event>> decide(const access_aggregate& state, const tenant_aggregate& tenants,
                                  const user_aggregate& users, const group_aggregate& groups,
                                  const access_command& command, const decide_context& ctx);

class write_model;
result<std::vector<event>> decide(const write_model& model, const access_command& command,
                                  const decide_context& ctx);
// Defining or changing a role hands out its permissions; assigning a role or giving a
// member roles hands out the roles' permissions, all on the command's tenant
// (access_decide.cpp).
caller_demands demands_of(const write_model& model, const access_command& command);

}  // namespace tenantry
