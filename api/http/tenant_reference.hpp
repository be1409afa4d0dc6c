#pragma once
// A tenant a request body names (a new tenant's parent, a move's): its id or slug as a
// string, {"id": "<ref>"}, or {"href": "<URL or path of /v1/tenants/<ref>>"} as clients
// that follow links send it (the cloud manager's `parent.href`).

#include <cstddef>
#include <expected>
#include <string>

#include <nlohmann/json.hpp>

namespace tenantry::api {

// The ref `value` names, or what is wrong with it (for a 400 naming the field). A ref is
// never empty and at most `max_length` characters.
std::expected<std::string, std::string> tenant_reference(const nlohmann::json& value,
                                                         std::size_t max_length);

}  // namespace tenantry::api
