#pragma once
// Enforcing a route's guard before its handler runs: platform guards and reads are judged
// on the read side; a write carries its checks to the writer (command_authorization), which
// judges them on its own, always current, state.

#include "api/guards/route_guard.hpp"
#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// POST, PUT, PATCH and DELETE.
bool is_write(http::verb v);

// 401, 403 or 404 when the route's guard refuses the caller; otherwise the checks the
// writer must make are in ctx.authorizations, and a read's tenant or object is in ctx.
asio::awaitable<result<void>> enforce(services& s, request_context& ctx, const guard& g);

// A route whose guard takes the object's secret token instead of a signed-in caller (an
// invitation's): a body carrying it is judged by the writer on the token alone.
bool carries_object_token(const request_context& ctx, const guard& g);

}  // namespace tenantry::api
