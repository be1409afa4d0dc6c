#pragma once
// The groups aggregate: every group ever created (deleted ones keep their slugs), with its
// members, a slug index and each user's groups, and the rules of groups, decided on the
// whole write model (group_decide.cpp). Pure: no I/O, no clock.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/groups/group_commands.hpp"
#include "commands/tenants/tenant_aggregate.hpp"
#include "events/event.hpp"

namespace tenantry {

struct group_state {
  group_id id;
  std::optional<tenant_id> tenant;  // none: a platform group
  std::string slug;
  std::string name;
  std::string description;
  std::vector<user_id> members;  // in the order they joined
  bool deleted = false;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};

  bool has_member(const user_id& user) const;
};

class group_aggregate {
 public:
  using commands = group_command;
  using events = group_event;

  const group_state* find(const group_id& id) const;
  // A ref is an id (UUID-shaped) or a slug.
  const group_state* resolve(std::string_view ref) const;
  bool slug_taken(std::string_view slug) const { return by_slug_.contains(std::string(slug)); }
  // The live groups owned by the tenant (none: the platform groups).
  std::vector<const group_state*> groups_of_tenant(const std::optional<tenant_id>& tenant) const;
  // The groups the user belongs to, deleted ones too (the caller judges liveness).
  std::vector<const group_state*> groups_of_user(const user_id& user) const;
  // Live: not deleted, and its tenant (if any) not deleted.
  bool is_live(const group_state& g, const tenant_aggregate& tenants) const;
  // The live group `ref` if it can hold roles and grants on an object whose tenant path is
  // `path` (empty: the platform level): a platform group anywhere, a tenant's group on
  // that tenant's subtree.
  const group_state* usable_group(const tenant_aggregate& tenants,
                                  const std::vector<std::string>& path, std::string_view ref) const;

  void evolve(const event& e, std::int64_t version, timestamp at);
  // The version before the event (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: the id of the root organization of the
  // tenant owning it (its own id when the platform owns it).
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

 private:
  std::unordered_map<group_id, group_state> by_id_;
  std::unordered_map<std::string, group_id> by_slug_;
  std::unordered_map<user_id, std::vector<group_id>> by_user_;
};

class write_model;
// They refer to tenants, users, role assignments and grants.
result<std::vector<event>> decide(const write_model& model, const group_command& command,
                                  const decide_context& ctx);
// Adding a member hands out what the group holds: its roles and its grants.
caller_demands demands_of(const write_model& model, const group_command& command);

}  // namespace tenantry
