#pragma once
// A tenant's configuration: one JSON object per tenant, changed by JSON merge patches
// (RFC 7396), at most 64 KiB once merged. It shares the tenant's version (and so its ETag).

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/decide_context.hpp"
#include "commands/tenants/tenant_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

class tenant_aggregate;

// The most a configuration may hold once merged, as compact JSON text.
inline constexpr std::size_t max_configuration_bytes = 64 * 1024;

// PATCH /v1/tenants/{ref}/configuration: a tenant_configured event with the whole merged
// object, none when the patch changes nothing; 400 for a patch that is not an object or a
// result over the limit.
result<std::vector<event>> decide_configure(const tenant_aggregate& dir, const configure_tenant& c);

}  // namespace tenantry
