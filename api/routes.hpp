#pragma once
// The route tables of the API, one function per resource family.

#include "api/http/rate_limiter.hpp"
#include "api/http/router.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// /healthz, /readyz, the JWKS, and /metrics unless it has a listener of its own.
void add_system_routes(router& r, services& s);
// GET /metrics alone: on the main router, or on the router of TENANTRY_METRICS_LISTEN.
void add_metrics_route(router& r, services& s);
void add_auth_routes(router& r, services& s);
void add_user_routes(router& r, services& s);
void add_tenant_routes(router& r, services& s);
// /v1/tenants/{ref}/configuration (api/tenants/tenant_configuration_routes.cpp).
void add_tenant_configuration_routes(router& r, services& s);
// /v1/tenants/{ref}/feature-flags (api/tenants/tenant_feature_flag_routes.cpp).
void add_tenant_feature_flag_routes(router& r, services& s);
void add_access_routes(router& r, services& s);
void add_group_routes(router& r, services& s);
void add_grant_routes(router& r, services& s);
void add_token_routes(router& r, services& s);
void add_invitation_routes(router& r, services& s);
// The OpenAPI document with every route's guard as `x-tenantry-guard`: register last.
void add_openapi_routes(router& r);

// Binds handlers of the shape fn(services&, request_context&) to `s` for router::add:
// `auto bind = bind_to(s); r.add(..., bind(get));`.
inline auto bind_to(services& s) {
  return [&s](auto fn) { return [&s, fn](request_context& ctx) { return fn(s, ctx); }; };
}

// 429 rate_limited with Retry-After and RateLimit-* headers.
response rate_limited(const rate_decision& d);

// Every route above, and the request handler that authenticates, dispatches and answers.
router make_router(services& s);
request_handler make_request_handler(services& s, const router& routes);

}  // namespace tenantry::api
