#pragma once
// The API tokens aggregate: tokens, their state and rules. Pure: no I/O, no clock. A token's power
// is judged here too, on the writer's own state, so a revocation holds for the very next
// write.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/tenants/tenant_aggregate.hpp"
#include "commands/tokens/token_commands.hpp"
#include "commands/users/user_aggregate.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

// The limits of docs/access-control.md ("API tokens").
inline constexpr std::chrono::seconds default_token_lifetime = std::chrono::days(90);
inline constexpr std::chrono::seconds max_token_lifetime = std::chrono::days(365);
inline constexpr std::size_t max_live_tokens_per_tenant = 50;
inline constexpr std::size_t max_token_name = 100;
inline constexpr std::size_t max_token_description = 1000;

struct token_state {
  token_id id;
  tenant_id tenant;
  user_id created_by;
  std::string name;
  std::string description;
  std::vector<std::string> scopes;
  std::string secret_hash;
  std::string prefix;
  timestamp expires_at{};
  bool revoked = false;
  std::string revoked_reason;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};

  // Neither revoked nor expired.
  bool live(timestamp now) const { return !revoked && expires_at > now; }
};

class token_aggregate {
 public:
  using commands = token_command;
  using events = token_event;

  const token_state* find(const token_id& id) const;
  const token_state* find_by_hash(std::string_view secret_hash) const;
  // The live tokens issued on the tenant itself.
  std::vector<const token_state*> live_tokens_of(const tenant_id& tenant, timestamp now) const;
  // The live tokens `creator` issued, on any tenant.
  std::vector<const token_state*> live_tokens_by(const user_id& creator, timestamp now) const;

  // The tenant a token event belongs to.
  std::optional<tenant_id> tenant_of(const event& e) const;
  // The token's version before the event (0 for a new one).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: its tenant's root organization's id.
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

  void evolve(const event& e, std::int64_t version, timestamp at);

 private:
  std::unordered_map<token_id, token_state> tokens_;
  std::unordered_map<std::string, token_id> by_hash_;
  std::unordered_map<user_id, std::vector<token_id>> by_creator_;
  std::unordered_map<tenant_id, std::vector<token_id>> by_tenant_;
};

result<std::vector<event>> decide(const token_aggregate& state, const tenant_aggregate& tenants,
                                  const user_aggregate& users, const token_command& command,
                                  const decide_context& ctx);

class write_model;
result<std::vector<event>> decide(const write_model& model, const token_command& command,
                                  const decide_context& ctx);
// Issuing a token hands out its scopes on its tenant (token_decide.cpp).
caller_demands demands_of(const write_model& model, const token_command& command);

// The token a command is sent through, if it may act now, judged on the writer's state:
// 401 for a token that is unknown, revoked or expired, whose creator is gone, or whose
// tenant is deleted. What it may do is its creator's roles limited by it (token_limit).
result<const token_state*> acting_token(const token_aggregate& tokens,
                                        const tenant_aggregate& tenants,
                                        const user_aggregate& users, std::string_view token,
                                        timestamp now);

}  // namespace tenantry
