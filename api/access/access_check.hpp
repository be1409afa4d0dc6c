#pragma once
// GET /v1/authz/check: whether a principal (a user, a group or an API token) may use a
// permission on a tenant, a group or the platform, and why; judged by the one policy
// (commands/access/access_policy.hpp) on facts from the read models.

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// ?permission=&object_type=tenant|group|platform&object_id=&principal_type=user|group|token
// &principal=. The caller's own access needs seeing the object; another principal's needs
// role.read where the object lives, and seeing that principal (a group: member.read where
// it lives; a token: token.manage there), else 404 naming the principal's kind.
asio::awaitable<response> authz_check(services& s, request_context& ctx);

}  // namespace tenantry::api
