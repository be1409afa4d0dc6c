#include "api/guards/route_guard.hpp"

#include "commands/access/access_policy.hpp"

namespace tenantry::api {
namespace {

std::unexpected<error> refused(http::verb method, std::string problem) {
  return fail(errc::invalid_argument, "invalid_guard",
              std::string(http::to_string(method)) + " route: " + std::move(problem));
}

// A permission GET /v1/permissions lists (a tenant role can hold it).
bool listed(const std::string& permission) {
  return is_tenant_permission(permission);
}

// Or one only platform roles hold (platform.*), on the platform or on a tenant.
bool listed_or_platform(const std::string& permission) {
  return is_tenant_permission(permission) || is_platform_permission(permission);
}

bool reads_only(http::verb method) {
  return method == http::verb::get || method == http::verb::head;
}

result<void> check_scope(http::verb method, const guard& g) {
  using scope = guard::scope;
  auto unknown = [&](const std::string& p) {
    return refused(method, "the permission \"" + p +
                               "\" is not one GET /v1/permissions lists (nor, where a platform "
                               "role may be what holds it, a platform permission)");
  };
  switch (g.where) {
    case scope::anyone:
    case scope::authenticated:
      if (!g.permission.empty()) return refused(method, "a public guard names a permission");
      return {};
    case scope::platform:
    case scope::self_or_platform:
    case scope::tenant:  // the lifecycle of a tenant is a platform permission on it
      if (!listed_or_platform(g.permission)) return unknown(g.permission);
      return {};
    case scope::body_only:
      if (g.body_field.empty()) return refused(method, "a body guard names no body field");
      return {};
    case scope::object:
      if (visibility_permission(g.object_kind).empty())
        return refused(method, "no object kind \"" + g.object_kind + "\"");
      if (g.party == object_party::only ? !g.permission.empty() : !listed(g.permission))
        return unknown(g.permission);
      return {};
    case scope::body_object:
      if (reads_only(method)) return refused(method, "a body guard on a read");
      if (g.object_field.empty()) return refused(method, "a body object guard names no field");
      if (!listed(g.permission)) return unknown(g.permission);
      return {};
  }
  return refused(method, "a guard of no known scope");
}

}  // namespace

result<void> check_guard(http::verb method, const guard& g) {
  if (auto ok = check_scope(method, g); !ok) return ok;
  if (!g.body_field.empty()) {
    if (reads_only(method)) return refused(method, "a body guard on a read");
    if (!listed(g.body_permission))
      return refused(method, "the body permission \"" + g.body_permission +
                                 "\" is not one of GET /v1/permissions");
    if (!listed_or_platform(g.root_permission))
      return refused(method, "the root permission \"" + g.root_permission + "\" is unknown");
  }
  if (!g.token_field.empty() && g.party == object_party::none)
    return refused(method, "a token field on a guard without a party");
  return {};
}

}  // namespace tenantry::api
