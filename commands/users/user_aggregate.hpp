#pragma once
// The users aggregate: users and their login sessions (refresh-token families), their
// state, decide and evolve. Pure: no I/O, no clock.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/caller_demands.hpp"
#include "commands/decide_context.hpp"
#include "commands/users/user_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

class tenant_aggregate;

inline constexpr std::string_view platform_role_names[] = {"super_admin", "system_admin",
                                                           "platform_admin", "platform_operator"};
bool is_platform_role(std::string_view role);
// super_admin 4, system_admin 3, platform_admin 2, platform_operator 1, anything else 0.
int platform_role_rank(std::string_view role);

struct user_state {
  user_id id;
  std::string email;
  std::string name;
  std::string password_hash;
  std::vector<std::string> platform_roles;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
  user_profile profile{};
  bool active = true;
  bool deleted = false;
  bool erased = false;  // deleted for good: its personal fields are gone (docs/privacy.md)
  // Bumped by every change that ends the user's tokens (password, deactivation, deletion);
  // access tokens carry the generation they were issued in.
  std::int64_t auth_generation = 0;
  // Signed in and acting: neither deleted nor deactivated.
  bool in_good_standing() const { return active && !deleted; }
};

struct session_state {
  session_id id;
  user_id user;
  std::string current_hash;
  timestamp expires_at{};
  bool revoked = false;
  std::int64_t version = 0;
  timestamp started_at{};  // when the family began: its absolute lifetime counts from here
};

class user_aggregate {
 public:
  using commands = user_command;
  using events = user_event;

  // Deleted users too: their emails stay reserved.
  const user_state* find(const user_id& id) const;
  const user_state* find_by_email(std::string_view email) const;
  // A ref is an id (UUID-shaped) or an email. resolve() finds only users that are not
  // deleted (a deleted user is 404 everywhere), resolve_any() deleted ones too.
  const user_state* resolve(std::string_view ref) const;
  const user_state* resolve_any(std::string_view ref) const;
  // The user's sessions that are neither revoked nor expired.
  std::vector<session_id> live_sessions(const user_id& user, timestamp now) const;
  // Users holding super_admin in good standing.
  std::size_t active_super_admins() const;
  const session_state* find_session(const session_id& id) const;
  // The session whose current or any earlier refresh token has this hash.
  const session_state* session_by_token(std::string_view hash) const;
  // Forgets the sessions revoked or expired by `cutoff`, with every refresh-token hash they
  // had: a token of theirs is refused the same way either way. Returns how many went.
  std::size_t forget_sessions_ended_by(timestamp cutoff);
  std::size_t session_count() const { return sessions_.size(); }
  bool empty() const { return users_.empty(); }

  void evolve(const event& e, std::int64_t version, timestamp at);
  // The user's or the session's version before the event (0 when it does not exist yet).
  std::int64_t version_of(const event& e) const;
  // The event's partition key once it is applied: the id of the user (of a session's user).
  std::string partition_key_of(const event& e, const tenant_aggregate& tenants) const;

 private:
  template <class T>
  void evolve_user(const T& ev, std::int64_t version, timestamp at);
  void unindex_email(const user_state& u);

  std::unordered_map<user_id, user_state> users_;
  std::unordered_map<std::string, user_id> by_email_;
  std::unordered_map<session_id, session_state> sessions_;
  std::unordered_map<std::string, session_id> by_token_;
  std::unordered_map<user_id, std::vector<session_id>> sessions_by_user_;
};

std::string normalize_email(std::string_view email);
// One @ with text on both sides, no whitespace, at most 254 bytes.
bool plausible_email(std::string_view email);

result<std::vector<event>> decide(const user_aggregate& state, const user_account_command& command,
                                  const decide_context& ctx);

// The user lifecycle: updates, profile, activation, soft delete and restore, passwords
// (user_lifecycle.cpp).
result<std::vector<event>> decide(const user_aggregate& state,
                                  const user_lifecycle_command& command, const decide_context& ctx);

class write_model;
// A user command decided on the whole write model: a user's deletion also revokes the API
// tokens it issued (user_decide.cpp).
result<std::vector<event>> decide(const write_model& model, const user_command& command,
                                  const decide_context& ctx);
caller_demands demands_of(const write_model& model, const user_command& command);

// Checks shared by registration and updates; a 400 validation_error naming the field.
result<void> check_email(std::string_view email);
result<std::vector<std::string>> checked_platform_roles(const std::vector<std::string>& roles);

}  // namespace tenantry
