#pragma once
// The rules of groups and of object permission grants, decided on the whole write model:
// they refer to tenants, users, role assignments and each other. Pure: no I/O, no clock.

#include <optional>
#include <variant>
#include <vector>

#include "commands/write_model.hpp"

namespace tenantry {

using group_command =
    std::variant<create_group, update_group, delete_group, add_group_member, remove_group_member>;
using grant_command = std::variant<grant_permission, revoke_permission>;

result<std::vector<event>> decide(const write_model& model, const group_command& command,
                                  const decide_context& ctx);
result<std::vector<event>> decide(const write_model& model, const grant_command& command,
                                  const decide_context& ctx);

// One grant, as another command's decide can issue it (an accepted invitation's
// permissions): the event, or none when the principal already holds exactly this grant.
// Authorization (the hand-out rule) is the caller's: the writer checks the request.
result<std::optional<permission_granted>> decide_grant(const write_model& model,
                                                       const grant_permission& command,
                                                       const decide_context& ctx);

}  // namespace tenantry
