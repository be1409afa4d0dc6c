#include "api/guards/platform_roles.hpp"

#include <algorithm>

#include "commands/users/user_aggregate.hpp"

namespace tenantry::api {
namespace {

// Higher outranks lower; 0 for unknown roles.
int rank(std::string_view role) {
  return platform_role_rank(role);
}

}  // namespace

bool has_platform_role(const principal& p) {
  return std::ranges::any_of(p.platform_roles, [](const auto& r) { return rank(r) > 0; });
}

bool may_grant_platform_role(const principal& p, std::string_view role) {
  const int wanted = rank(role);
  return std::ranges::any_of(p.platform_roles, [&](const auto& r) { return rank(r) >= wanted; });
}

result<void> require(bool allowed, std::string_view what) {
  if (allowed) return {};
  return fail(errc::permission_denied, "permission_denied",
              "You are not allowed to " + std::string(what) + ".");
}

}  // namespace tenantry::api
