#pragma once
// Route guards: the permission each route needs, declared in its route table. The one
// table of tenantry's authorization: every route declares one (the add_*_routes functions
// are the table); the served OpenAPI document shows each as `x-tenantry-guard`. Default
// deny: a tenant or platform guard lets through only a caller whose roles hold the
// permission.

#include <string>
#include <utility>

#include "api/http/asio.hpp"
#include "commands/command_authorization.hpp"
#include "events/result.hpp"

namespace tenantry::api {

// Who may call a route at all.
enum class access {
  anyone,         // no token needed
  authenticated,  // any valid access token; the handler filters what it shows
};

// The permission a route needs, and where.
struct guard {
  enum class scope {
    anyone,         // public
    authenticated,  // any valid token; the handler shows only what the caller may see
    platform,       // `permission` held through a platform role
    tenant,         // `permission` on the tenant of the path's first {ref}
    body_only,      // no path tenant: only the body requirement below
    object,         // `permission` on the tenant owning the path's first {id}, of `object_kind`
    body_object,    // `permission` on the tenant owning the object the body's `object_field` names
    // The path's first {ref} names the caller itself (a user's own record), or
    // `permission` is held through a platform role.
    self_or_platform,
  };
  scope where = scope::authenticated;
  std::string permission;
  // Also needed when set: `body_permission` on the tenant the body's `body_field` names,
  // or, when the field is null or absent, `root_permission` (a platform permission).
  std::string body_field;
  std::string body_permission;
  std::string root_permission;
  // An object guard: the kind of the path's object (a row of object_kinds in
  // commands/access/access_policy.hpp), or the body field {"type", "id"} that names one. The
  // owning tenant is looked up before the handler runs (the platform when there is none);
  // an object the caller may not see is 404 naming its kind, as if missing.
  std::string object_kind;
  std::string object_field;
  // An object guard whose kind has a party (an invitation's invitee): whether the party
  // may use the route too, or only it (then `permission` is empty). Anyone else is
  // refused 403 where it may see the object, else 404.
  object_party party = object_party::none;
  // A tenant upsert (PUT /v1/tenants/{slug}): `permission` on the tenant holding the path's
  // slug when one does, else the body requirement (creating under the body's parent).
  bool upsert = false;
  // Set with a party: a body carrying this field (the object's secret token) is let
  // through without signing in; the token is the credential, checked by the writer.
  std::string token_field;

  guard(access a) : where(a == access::anyone ? scope::anyone : scope::authenticated) {}
  guard(scope w, std::string p) : where(w), permission(std::move(p)) {}

  // E.g. a move: tenant.create_child on the new parent, a platform role for a root.
  // E.g. an invitation: member.read where it lives, or being its invitee.
  guard or_party() && {
    party = object_party::also;
    return std::move(*this);
  }

  guard and_body_tenant(std::string field, std::string permission_there, std::string for_root) && {
    body_field = std::move(field);
    body_permission = std::move(permission_there);
    root_permission = std::move(for_root);
    return std::move(*this);
  }
};

inline guard on_platform(std::string permission) {
  return guard(guard::scope::platform, std::move(permission));
}
inline guard on_tenant(std::string permission) {
  return guard(guard::scope::tenant, std::move(permission));
}
// E.g. /v1/groups/{id}: group.manage where the group lives.
inline guard on_object(std::string kind, std::string permission) {
  guard g(guard::scope::object, std::move(permission));
  g.object_kind = std::move(kind);
  return g;
}
// E.g. accepting an invitation: only its invitee, or whoever holds its token.
inline guard on_party(std::string kind, std::string token_field) {
  guard g(guard::scope::object, {});
  g.object_kind = std::move(kind);
  g.party = object_party::only;
  g.token_field = std::move(token_field);
  return g;
}
// E.g. a grant: role.assign where the object the body names lives.
inline guard on_body_object(std::string field, std::string permission) {
  guard g(guard::scope::body_object, std::move(permission));
  g.object_field = std::move(field);
  return g;
}
inline guard on_self_or_platform(std::string permission) {
  return guard(guard::scope::self_or_platform, std::move(permission));
}
// PUT /v1/tenants/{slug}: `permission` on the tenant holding the slug, or `create` on the
// body's `field` (`for_root` without one) when no tenant holds it.
inline guard on_tenant_upsert(std::string permission, std::string field, std::string create,
                              std::string for_root) {
  guard g = guard(guard::scope::tenant, std::move(permission))
                .and_body_tenant(std::move(field), std::move(create), std::move(for_root));
  g.upsert = true;
  return g;
}
inline guard on_body_tenant(std::string field, std::string permission, std::string for_root) {
  return guard(guard::scope::body_only, {})
      .and_body_tenant(std::move(field), std::move(permission), std::move(for_root));
}

// Whether a guard can be enforced as written: every permission it names is one that
// `GET /v1/permissions` lists (a platform, self-or-platform or tenant guard, and a root
// permission, may also name a platform.* permission, which only platform roles hold), an
// object guard names a known kind, and a guard that reads the body is not on a GET or a
// HEAD. invalid_argument naming what is wrong otherwise.
result<void> check_guard(http::verb method, const guard& g);

}  // namespace tenantry::api
