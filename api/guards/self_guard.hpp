#pragma once
// The self_or_platform route guard: a user's own record (its name, profile, password) is
// the user's to change; anyone else's needs a platform permission.

#include "api/http/request_context.hpp"
#include "api/http/router.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// Whether `ref` (a user id, an email, or "me") names the caller. An email is compared
// with the caller's in the users read model.
asio::awaitable<result<bool>> names_the_caller(services& s, const request_context& ctx,
                                               std::string ref);

// Lets the caller through when the path's {ref} names it or a platform role of it holds
// the guard's permission (403 otherwise, whether or not that user exists); a write takes
// the same check to the writer.
asio::awaitable<result<void>> enforce_self_or_platform(services& s, request_context& ctx,
                                                       const guard& g);

}  // namespace tenantry::api
