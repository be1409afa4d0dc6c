#pragma once
// The single writer's complete in-memory state: every aggregate, the idempotency records,
// and the log position it reflects. Rebuilt by folding the log from its first event.
//
// The one registration of the write side is `write_model_aggregates` below: each
// aggregate decides the commands of its `commands` variant and applies the events of its
// `events` variant. The write model routes every command and event by those variants, and
// fails to compile while a command or an event has no aggregate, or two.

#include <cstdint>
#include <string>
#include <tuple>
#include <unordered_map>

#include "commands/access/access_aggregate.hpp"
#include "commands/command.hpp"
#include "commands/grants/grant_aggregate.hpp"
#include "commands/groups/group_aggregate.hpp"
#include "commands/invitations/invitation_aggregate.hpp"
#include "commands/tenants/tenant_aggregate.hpp"
#include "commands/tokens/token_aggregate.hpp"
#include "commands/users/user_aggregate.hpp"
#include "events/envelope.hpp"

namespace tenantry {

// What a command with an Idempotency-Key was answered, kept so that a retry gets it again.
struct idempotency_record {
  std::string request_hash;
  std::string response;  // {"status": N, "body": "..."}
  timestamp at{};
};

// Whose idempotency keys a command's key is checked against: the actor's own, or those of
// the API token it acts through (a user and its tokens never share keys).
std::string idempotency_principal(const std::string& actor, const std::string& actor_token);

class write_model {
 public:
  tenant_aggregate tenants;
  user_aggregate users;
  access_aggregate access;
  group_aggregate groups;
  grant_aggregate grants;
  token_aggregate tokens;
  invitation_aggregate invitations;

  // Routes the command to the aggregate that decides it: the events it produces, or why
  // not. Lookups decide nothing.
  result<std::vector<event>> decide(const command& cmd, const decide_context& ctx) const;

  // The caller's right to a command, decided on this state: 404 where it may not even
  // see the tenant, 403 where it may see it but not do this. A command that hands out
  // roles (or issues an API token) may hand out only permissions the caller holds there
  // itself. An API token acts with its creator's current roles, limited by the token.
  result<void> authorize(const std::vector<command_authorization>& checks, const command& cmd,
                         timestamp now) const;

  // What the policy judges a user by: its platform roles, its own roles and grants, and
  // those of the live groups it belongs to.
  access_facts facts_of(const user_id& user, std::vector<std::string> platform_roles) const;

  // The aggregate's current version (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The partition key of an event once it is applied: its root organization's id.
  std::string partition_key_of(const event& e) const;

  // Applies the event to the aggregate that owns it.
  void apply(const recorded_event& e);
  // Records the answer of an idempotent command (its last event's metadata).
  void remember_response(const event_metadata& meta);
  // The events applied since the last call are now in the log, the last one at `offset`.
  void committed(std::int64_t offset) { last_offset_ = offset; }

  const idempotency_record* idempotency(const std::string& actor, const std::string& key) const;
  void forget_idempotency_before(timestamp cutoff);
  // What no answer needs any more, as time passes: idempotency records older than `ttl`
  // (keys are honoured that long) and sessions that have ended.
  void forget_what_has_ended(timestamp now, std::chrono::hours ttl);
  std::size_t idempotency_count() const { return idempotency_.size(); }

  std::int64_t last_offset() const { return last_offset_; }
  std::size_t event_count() const { return event_count_; }

 private:
  std::unordered_map<std::string, idempotency_record> idempotency_;
  std::int64_t last_offset_ = -1;
  std::size_t event_count_ = 0;
};

// The aggregates of the write model, each once: a new resource adds its member above and
// its entry here.
inline constexpr auto write_model_aggregates = std::tuple{
    &write_model::tenants, &write_model::users,  &write_model::access,     &write_model::groups,
    &write_model::grants,  &write_model::tokens, &write_model::invitations};

}  // namespace tenantry
