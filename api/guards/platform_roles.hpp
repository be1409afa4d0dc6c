#pragma once
// Platform-role questions the access policy (commands/access/access_policy.hpp) does not answer:
// whether a caller has any platform role, and which platform roles it may grant.

#include "api/http/request_context.hpp"

namespace tenantry::api {

// Any platform role: reads everything, sees deleted tenants on request.
bool has_platform_role(const principal& p);
// A caller may grant a platform role only if it holds that role or a higher one.
bool may_grant_platform_role(const principal& p, std::string_view role);

result<void> require(bool allowed, std::string_view what);

}  // namespace tenantry::api
