#pragma once
// Who may change which user, judged by the writer on its own, always current, state.
// Pure: no I/O, no clock.

#include "commands/command_authorization.hpp"
#include "commands/users/user_aggregate.hpp"
#include "events/result.hpp"

namespace tenantry {

// The caller as the write model knows it now: 401 once deleted or deactivated (or its
// token predates a password change), and only
// the platform roles it still holds (a token may carry roles taken away since). A caller
// the directory does not know (a trusted or non-user principal) is left as it is.
result<command_authorization> current_caller(const user_aggregate& users,
                                             command_authorization caller);

// Whether the check's self rule lets the caller through: its self_ref names the caller.
bool acts_on_itself(const user_aggregate& users, const command_authorization& caller);

// The rules of a change of the user `ref` beyond the route's guard: another user is
// managed only by a platform role ranked at least as high as each of that user's platform
// roles; an update of its email or platform roles needs platform.manage_users, and every
// role added or removed must be one the caller may grant (ranked at most as high as its
// own). 403 otherwise; a user that does not exist is the command's own 404.
result<void> authorize_user_change(const user_aggregate& users, const command_authorization& caller,
                                   const std::string& ref, const update_user* update);

}  // namespace tenantry
