#pragma once
// Commands: what a client asks the single writer to do, as one closed variant composed from
// each resource's own variant (commands/<resource>/<resource>_commands.hpp). A new resource
// adds its variant to `command` below; the write model (commands/write_model.hpp) then
// refuses to compile until one registered aggregate decides it.

#include "commands/access/access_commands.hpp"
#include "commands/command_authorization.hpp"
#include "commands/decide_context.hpp"
#include "commands/grants/grant_commands.hpp"
#include "commands/groups/group_commands.hpp"
#include "commands/invitations/invitation_commands.hpp"
#include "commands/tenants/tenant_commands.hpp"
#include "commands/tokens/token_commands.hpp"
#include "commands/users/user_commands.hpp"
#include "events/variants.hpp"

namespace tenantry {

using command = join_variants_t<tenant_command, user_command, access_command, group_command,
                                grant_command, token_command, invitation_command>;
static_assert(distinct_alternatives<command>, "a command belongs to one resource only");

}  // namespace tenantry
