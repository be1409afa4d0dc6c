#pragma once
// The OpenAPI 3.1 document (src/api/openapi.json, compiled in) that describes every route.

#include <string_view>

namespace tenantry::api {

std::string_view openapi_document();

}  // namespace tenantry::api
