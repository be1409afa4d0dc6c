#pragma once
// What a command asks of its caller beyond its route's guard, as each resource states it
// (`demands_of`): the permissions it hands out, which the caller must hold itself where it
// hands them out, and the user it changes, whose platform roles must not outrank the
// caller's. The writer checks them in write_model::authorize.

#include <optional>
#include <string>
#include <vector>

#include "commands/access/access_policy.hpp"

namespace tenantry {

// Permissions handed out on a tenant (its path, root first), or on one object owned by that
// tenant (or by the platform: an empty path).
struct handout {
  std::vector<std::string> path;
  std::optional<access_object> object;
  std::vector<std::string> permissions;
};

struct caller_demands {
  // Whether the command is of a kind that hands out access (roles, grants, a token's
  // scopes), even when `handouts` came out empty: such a command is always judged on the
  // caller's own roles, never waved through by a platform role alone.
  bool hands_out = false;
  std::vector<handout> handouts = {};
  // The ref of the user the command changes, if it changes one.
  std::optional<std::string> changed_user = std::nullopt;
  // Whether the command has no signed-in caller: it carries its own proof (a password the
  // API verified, a refresh token, an invitation's token). Every other command reaching
  // the writer without authorization facts is refused (default deny).
  bool anonymous = false;
};

class write_model;

// What handing out these roles (built-in names, custom role ids or names) on the tenant
// `tenant_ref` hands out: their permissions there. None for a tenant that does not exist
// (the command's own 404).
std::vector<handout> roles_handed_out(const write_model& model, const std::string& tenant_ref,
                                      const std::vector<std::string>& roles);
// These permissions on the tenant `tenant_ref`; unknown ones are the command's own 400.
std::vector<handout> permissions_handed_out(const write_model& model, const std::string& tenant_ref,
                                            const std::vector<std::string>& permissions);

}  // namespace tenantry
