#include "commands/users/user_authorization.hpp"

#include <algorithm>

#include "commands/access/access_policy.hpp"

namespace tenantry {
namespace {

auto denied(std::string message) {
  return fail(errc::permission_denied, "permission_denied", std::move(message),
              {{"permission", std::string(manage_users)}});
}

int highest_rank(const std::vector<std::string>& roles) {
  int best = 0;
  for (const auto& r : roles) best = std::max(best, platform_role_rank(r));
  return best;
}

bool may_manage_users(const command_authorization& caller) {
  return check_access(access_facts{caller.platform_roles, {}}, {}, manage_users, timestamp{})
      .allowed;
}

// Platform roles given in an update that differ from the user's: each must be grantable.
result<void> check_role_change(const command_authorization& caller, const user_state& u,
                               const std::vector<std::string>& given) {
  std::vector<std::string> wanted = given;
  std::ranges::sort(wanted);
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  if (wanted == u.platform_roles) return {};
  if (!may_manage_users(caller))
    return denied("Changing platform roles needs " + std::string(manage_users) + ".");
  std::vector<std::string> changed;
  std::ranges::set_symmetric_difference(wanted, u.platform_roles, std::back_inserter(changed));
  for (const auto& role : changed)
    if (platform_role_rank(role) > highest_rank(caller.platform_roles))
      return denied("You cannot grant or take away the platform role " + role + ".");
  return {};
}

}  // namespace

result<command_authorization> current_caller(const user_aggregate& users,
                                             command_authorization caller) {
  const user_state* u = users.find(user_id{caller.user_id});
  if (!u) return caller;
  if (!u->in_good_standing() ||
      (caller.auth_generation && *caller.auth_generation < u->auth_generation))
    return fail(errc::unauthenticated, "unauthenticated",
                "The access token is invalid or expired.");
  std::erase_if(caller.platform_roles, [&](const std::string& r) {
    return std::ranges::find(u->platform_roles, r) == u->platform_roles.end();
  });
  return caller;
}

bool acts_on_itself(const user_aggregate& users, const command_authorization& caller) {
  // An API token acts for its creator within its scopes, never as the user itself: it
  // cannot change its creator's name, profile or password.
  if (!caller.self_ref || !caller.token_id.empty()) return false;
  const user_state* u = users.resolve_any(*caller.self_ref);
  return u && u->id.value == caller.user_id;
}

result<void> authorize_user_change(const user_aggregate& users, const command_authorization& caller,
                                   const std::string& ref, const update_user* update) {
  const user_state* u = users.resolve_any(ref);
  if (!u) return {};  // the rules' own 404
  const bool self = u->id.value == caller.user_id;
  if (!self && highest_rank(u->platform_roles) > highest_rank(caller.platform_roles))
    return denied("This user's platform roles outrank yours.");
  if (!update) return {};
  if (update->email && normalize_email(*update->email) != u->email && !may_manage_users(caller))
    return denied("Changing an email needs " + std::string(manage_users) + ".");
  if (update->platform_roles) return check_role_change(caller, *u, *update->platform_roles);
  return {};
}

}  // namespace tenantry
