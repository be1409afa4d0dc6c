#pragma once
// The bootstrap admin: on an empty log, registers TENANTRY_ADMIN_EMAIL as super_admin.

#include <stop_token>
#include <string>

#include "api/auth/password_hash.hpp"
#include "commands/command_processor.hpp"

namespace tenantry {

// Waits until the writer is ready, then registers the admin unless any user exists.
void bootstrap_admin(command_processor& writer, const std::string& email,
                     const std::string& password, const api::password_hash_params& params,
                     std::stop_token stop);

}  // namespace tenantry
