#pragma once
// Building responses: JSON bodies, and errors in the one shape every route uses:
// {"error": "<code>", "message": "...", "details": {...}}.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "api/http/http_server.hpp"
#include "events/result.hpp"

namespace tenantry::api {

response json_response(unsigned status, std::string body);
response json_response(unsigned status, const nlohmann::json& body);
response error_response(const error& e);
response error_response(errc category, std::string code, std::string message,
                        nlohmann::json details = nlohmann::json::object());
// Sets `ETag: "<version>"`, a resource's aggregate version, which If-Match compares.
void set_etag(response& res, std::int64_t version);

}  // namespace tenantry::api
