#pragma once
// Users and their login sessions (refresh-token families): write model and rules.
// Pure: no I/O, no clock.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/command.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

inline constexpr std::string_view platform_role_names[] = {"super_admin", "system_admin",
                                                           "platform_admin", "platform_operator"};
bool is_platform_role(std::string_view role);

struct user_state {
  user_id id;
  std::string email;
  std::string name;
  std::string password_hash;
  std::vector<std::string> platform_roles;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};
};

struct session_state {
  session_id id;
  user_id user;
  std::string current_hash;
  timestamp expires_at{};
  bool revoked = false;
  std::int64_t version = 0;
};

class user_directory {
 public:
  const user_state* find(const user_id& id) const;
  const user_state* find_by_email(std::string_view email) const;
  // A ref is an id (UUID-shaped) or an email.
  const user_state* resolve(std::string_view ref) const;
  const session_state* find_session(const session_id& id) const;
  // The session whose current or any earlier refresh token has this hash.
  const session_state* session_by_token(std::string_view hash) const;
  bool empty() const { return users_.empty(); }

  void evolve(const event& e, std::int64_t version, timestamp at);

 private:
  std::unordered_map<user_id, user_state> users_;
  std::unordered_map<std::string, user_id> by_email_;
  std::unordered_map<session_id, session_state> sessions_;
  std::unordered_map<std::string, session_id> by_token_;
};

using user_command = std::variant<register_user, start_session, refresh_session>;

std::string normalize_email(std::string_view email);

result<std::vector<event>> decide(const user_directory& state, const user_command& command,
                                  const decide_context& ctx);

}  // namespace tenantry
