#pragma once
// Routes: method + path pattern ("/v1/tenants/{ref}/children") -> handler, each with the
// access rule it needs. Unknown paths answer 404, known paths with another method 405.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/request_context.hpp"

namespace tenantry::api {

using route_handler = std::function<asio::awaitable<response>(request_context&)>;

// Who may call a route at all.
enum class access {
  anyone,         // no token needed
  authenticated,  // any valid access token; the handler filters what it shows
};

// The permission a route needs: the one table of tenantry's authorization (every route
// declares one; routes.hpp's tables are the list). Default deny: a tenant or platform
// guard lets through only a caller whose roles or grants hold the permission.
struct guard {
  enum class scope {
    anyone,          // public
    authenticated,   // any valid token; the handler shows only what the caller may see
    platform,        // `permission` held through a platform role
    tenant,          // `permission` on the tenant of the path's first {ref}
    tenant_in_body,  // `permission` on the tenant the body's `body_field` names; without
                     // one, `platform_permission` (e.g. creating a root tenant)
  };
  scope where = scope::authenticated;
  std::string permission;
  std::string body_field;
  std::string platform_permission;

  guard(access a) : where(a == access::anyone ? scope::anyone : scope::authenticated) {}
  guard(scope w, std::string p, std::string field = {}, std::string platform = {})
      : where(w),
        permission(std::move(p)),
        body_field(std::move(field)),
        platform_permission(std::move(platform)) {}
};

inline guard on_platform(std::string permission) {
  return guard(guard::scope::platform, std::move(permission));
}
inline guard on_tenant(std::string permission) {
  return guard(guard::scope::tenant, std::move(permission));
}

struct route {
  http::verb method;
  std::string pattern;
  guard rule;
  route_handler handler;
};

class router {
 public:
  void add(http::verb method, std::string pattern, guard rule, route_handler handler);
  const std::vector<route>& routes() const { return routes_; }

  struct match {
    const route* found = nullptr;
    std::vector<std::string> params;
    std::string allowed;  // for 405: the methods the path does accept
  };
  match find(http::verb method, std::string_view path) const;

 private:
  std::vector<route> routes_;
};

}  // namespace tenantry::api
