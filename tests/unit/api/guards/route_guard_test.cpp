#include "api/guards/route_guard.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "api/http/router.hpp"

namespace tenantry::api {
namespace {

using v = http::verb;

asio::awaitable<response> nothing(request_context&) {
  co_return response{};
}

TEST(RouteGuard, AcceptsEveryKindOfGuardTheRouteTablesUse) {
  EXPECT_TRUE(check_guard(v::get, access::anyone));
  EXPECT_TRUE(check_guard(v::get, access::authenticated));
  EXPECT_TRUE(check_guard(v::get, on_tenant("tenant.read")));
  EXPECT_TRUE(check_guard(v::post, on_platform("platform.manage_users")));
  EXPECT_TRUE(check_guard(v::post, on_tenant("platform.tenant_lifecycle")));  // suspend
  EXPECT_TRUE(check_guard(
      v::post, on_body_tenant("parent", "tenant.create_child", "platform.manage_tenants")));
  EXPECT_TRUE(check_guard(v::patch, on_object("group", "group.manage")));
  EXPECT_TRUE(check_guard(v::get, on_object("invitation", "member.read").or_party()));
  EXPECT_TRUE(check_guard(v::post, on_party("invitation", "token")));
  EXPECT_TRUE(check_guard(v::post, on_body_object("object", "role.assign")));
  EXPECT_TRUE(check_guard(v::put, on_self_or_platform("platform.manage_users")));
}

TEST(RouteGuard, RefusesAPermissionThatPermissionsDoesNotList) {
  EXPECT_FALSE(check_guard(v::get, on_tenant("tenant.raed")));
  EXPECT_FALSE(check_guard(v::get, on_tenant("platform.manage_everyone")));
  EXPECT_FALSE(check_guard(v::get, on_object("group", "platform.manage_users")));  // not a tenant's
  EXPECT_FALSE(check_guard(v::post, on_platform("platform.manage_everything")));
  EXPECT_FALSE(check_guard(v::patch, on_object("group", "groups.manage")));
  EXPECT_FALSE(check_guard(v::post, on_body_object("object", "role.asign")));
  EXPECT_FALSE(check_guard(
      v::post, on_body_tenant("parent", "tenant.create_kid", "platform.manage_tenants")));
  EXPECT_FALSE(
      check_guard(v::post, on_body_tenant("parent", "tenant.create_child", "platform.nope")));
}

TEST(RouteGuard, RefusesABodyGuardOnARead) {
  EXPECT_FALSE(check_guard(v::get, on_body_object("object", "role.assign")));
  EXPECT_FALSE(check_guard(
      v::get, on_body_tenant("parent", "tenant.create_child", "platform.manage_tenants")));
  EXPECT_FALSE(check_guard(
      v::head, on_tenant("tenant.update")
                   .and_body_tenant("parent", "tenant.create_child", "platform.manage_tenants")));
}

TEST(RouteGuard, RefusesAnUnknownObjectKind) {
  EXPECT_FALSE(check_guard(v::get, on_object("gruop", "member.read")));
}

TEST(Router, RefusesAtStartUpARouteItCannotGuard) {
  router r;
  EXPECT_THROW(r.add(v::get, "/v1/tenants/{ref}", on_tenant("tenant.raed"), nothing),
               std::invalid_argument);
  EXPECT_THROW(
      r.add(v::get, "/v1/permissions/grants", on_body_object("object", "role.assign"), nothing),
      std::invalid_argument);
  EXPECT_TRUE(r.routes().empty());
  r.add(v::get, "/v1/tenants/{ref}", on_tenant("tenant.read"), nothing);
  EXPECT_EQ(r.routes().size(), 1u);
}

}  // namespace
}  // namespace tenantry::api
