#pragma once
// The OpenAPI 3.1 document (api/openapi.json, compiled in) that describes every route.

#include <string>
#include <string_view>

#include "api/http/router.hpp"

namespace tenantry::api {

std::string_view openapi_document();

// The document with each operation's guard from the router, as
// "x-tenantry-guard": {"scope", "permission", "body": {"field", "permission", "root_permission"}}.
std::string openapi_with_guards(const router& routes);

}  // namespace tenantry::api
