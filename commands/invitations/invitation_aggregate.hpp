#pragma once
// The invitations aggregate: every invitation with its recorded status, the invitations of
// each tenant, and their rules. Pure: no I/O, no clock (expiry is judged against the time
// the caller passes).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/invitations/invitation_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

class tenant_aggregate;

// `expired` is recorded by an invitation_expired event; a pending invitation past its
// expiry is expired too (status_at).
enum class invitation_status { pending, accepted, declined, revoked, expired };
std::string_view to_string(invitation_status s);

struct invitation_state {
  invitation_id id;
  tenant_id tenant;
  std::string invitee;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::string token_hash;
  timestamp expires_at{};
  user_id invited_by;
  invitation_status status = invitation_status::pending;
  std::optional<user_id> answered_by;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};

  // The status as of `now`: a pending invitation past `expires_at` is expired.
  invitation_status status_at(timestamp now) const;
};

class invitation_aggregate {
 public:
  using commands = invitation_command;
  using events = invitation_event;

  const invitation_state* find(const invitation_id& id) const;
  // The tenant's invitation to `email` still pending by its recorded status (it may be
  // past its expiry), if any.
  const invitation_state* pending_for(const tenant_id& tenant, std::string_view email) const;

  void evolve(const event& e, std::int64_t version, timestamp at);
  // The version before the event (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: the id of the root organization of the
  // tenant owning it (its own id when the platform owns it).
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

 private:
  std::unordered_map<invitation_id, invitation_state> by_id_;
  std::unordered_map<tenant_id, std::vector<invitation_id>> by_tenant_;
};

// Lifetimes in seconds: the default (7 days) and the longest allowed (30 days).
inline constexpr std::int64_t default_invitation_lifetime = 7 * 24 * 3600;
inline constexpr std::int64_t max_invitation_lifetime = 30 * 24 * 3600;

class write_model;
// The rules of invitations, decided on the whole write model: they refer to tenants, users,
// roles, memberships and grants (invitation_decide.cpp). An answer or a revocation of a
// pending invitation past its expiry decides the one event invitation_expired (recorded,
// so the log says when it was found expired); the route answers it with 409
// invitation_not_pending, as for any invitation no longer pending.
result<std::vector<event>> decide(const write_model& model, const invitation_command& command,
                                  const decide_context& ctx);
// Sending an invitation hands out its roles and, as grants on the tenant, its permissions.
caller_demands demands_of(const write_model& model, const invitation_command& command);

}  // namespace tenantry
