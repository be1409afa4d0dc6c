#pragma once
// The handlers of /v1/users, in two files: registration and reads (user_routes.cpp, which
// also holds the route table) and the lifecycle's changes (user_change_routes.cpp).

#include <cstddef>
#include <string>

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api::users {

// The longest password a request may carry, in characters (hashing has a cost per byte).
inline constexpr std::size_t max_password = 1024;

// The user a path's {ref} names: "me" is the caller.
std::string path_ref(const request_context& ctx);

// Whether the caller may see user `id`: itself, with a platform role, or with member.read
// on a tenant the user is a member of. An empty `id` (no such user) is false after the
// same work as for a hidden user.
asio::awaitable<result<bool>> may_see(services& s, request_context& ctx, const std::string& id);

// PUT (replace = true: email and name required) and PATCH of /v1/users/{ref}.
asio::awaitable<response> update(services& s, request_context& ctx, bool replace);
asio::awaitable<response> remove(services& s, request_context& ctx);
asio::awaitable<response> restore(services& s, request_context& ctx);
asio::awaitable<response> erase(services& s, request_context& ctx);
asio::awaitable<response> set_active(services& s, request_context& ctx, bool active);
asio::awaitable<response> get_profile(services& s, request_context& ctx);
asio::awaitable<response> patch_profile(services& s, request_context& ctx);
asio::awaitable<response> change_password(services& s, request_context& ctx);

}  // namespace tenantry::api::users
