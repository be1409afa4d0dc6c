#pragma once
// The tenants aggregate: the hierarchy's state, decide(state, command) -> events or error
// and evolve(state, event) -> state. Pure: no I/O, no clock.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/tenants/tenant_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

enum class tenant_status { active, suspended, inactive };
std::string_view to_string(tenant_status s);

// A feature flag as the tenant sets it; `created_version` is the tenant's version when the
// key was first set (a later set with a higher version replaced it).
struct feature_flag {
  nlohmann::json value;
  std::string description;
  std::int64_t created_version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

struct tenant_state {
  tenant_id id;
  std::string slug;
  std::string name;
  std::string description;
  metadata_map metadata;
  nlohmann::json configuration = nlohmann::json::object();
  std::map<std::string, feature_flag> feature_flags = {};  // by key
  std::optional<tenant_id> parent;
  std::vector<tenant_id> children;  // deleted ones too
  tenant_status status = tenant_status::active;
  bool deleted = false;
  std::string deletion_id;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

// Every tenant ever created, with a slug index; deleted tenants keep their slugs.
class tenant_aggregate {
 public:
  using commands = tenant_command;
  using events = tenant_event;

  const tenant_state* find(const tenant_id& id) const;
  // A ref is an id (UUID-shaped) or a slug.
  const tenant_state* resolve(std::string_view ref) const;
  bool slug_taken(std::string_view slug) const { return by_slug_.contains(std::string(slug)); }
  std::size_t size() const { return by_id_.size(); }

  int level(const tenant_state& t) const;  // 1 for a root
  tenant_status effective_status(const tenant_state& t) const;
  tenant_id root_of(const tenant_state& t) const;
  bool is_ancestor_or_self(const tenant_state& ancestor, const tenant_state& t) const;
  // Levels below `t` to its deepest live descendant (0 for a leaf).
  int height(const tenant_state& t) const;
  // The ids from the root down to `t` itself.
  std::vector<std::string> path_ids(const tenant_state& t) const;
  // `t` and its live descendants, each parent before its children.
  std::vector<const tenant_state*> live_subtree(const tenant_state& t) const;

  // One of the tenants' own events, applied at `version` (the tenant's version after it).
  void evolve(const event& e, std::int64_t version, timestamp at);
  // The tenant's version before the event (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: the tenant's root organization's id.
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

 private:
  tenant_state& at(const tenant_id& id);
  std::unordered_map<tenant_id, tenant_state> by_id_;
  std::unordered_map<std::string, tenant_id> by_slug_;
};

// 404 not_found for a tenant that is missing, deleted or hidden from the caller (all alike),
// with details {"resource": "tenant", "ref": ...}.
std::unexpected<error> tenant_not_found(std::string_view ref);
// The live tenant a command names (404 otherwise), at `expected_version` if one is given.
result<const tenant_state*> live_tenant(const tenant_aggregate& dir, std::string_view ref,
                                        std::optional<std::int64_t> expected_version);
// 409 tenant_not_active unless the tenant and all its ancestors are active.
result<void> require_active(const tenant_aggregate& dir, const tenant_state& t);
// The live tenant a command names, active with all its ancestors (404 or 409 otherwise).
result<const tenant_state*> active_tenant(const tenant_aggregate& dir, std::string_view ref);

result<std::vector<event>> decide(const tenant_aggregate& state, const tenant_command& command,
                                  const decide_context& ctx);

class write_model;
// A tenant command decided on the whole write model: a tenant with members is deleted only
// with recursive=true (tenant_decide.cpp).
result<std::vector<event>> decide(const write_model& model, const tenant_command& command,
                                  const decide_context& ctx);
caller_demands demands_of(const write_model& model, const tenant_command& command);

}  // namespace tenantry
