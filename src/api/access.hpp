#pragma once
// Who may do what, for the routes of the foundation: platform roles decide. (Tenant roles,
// memberships and grants extend this table.)

#include "api/request_context.hpp"

namespace tenantry::api {

// Any platform role: reads everything, sees deleted tenants on request.
bool has_platform_role(const principal& p);
// super_admin, system_admin, platform_admin: create, change, move, delete, restore.
bool may_manage_tenants(const principal& p);
// The above and platform_operator: suspend, resume, activate, deactivate.
bool may_change_lifecycle(const principal& p);
// super_admin, system_admin, platform_admin: create users.
bool may_manage_users(const principal& p);
// A caller may grant a platform role only if it holds that role or a higher one.
bool may_grant_platform_role(const principal& p, std::string_view role);

result<void> require(bool allowed, std::string_view what);

}  // namespace tenantry::api
