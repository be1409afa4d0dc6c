#pragma once
// A tenant's feature flags: keyed JSON values set on a tenant, holding for its subtree unless
// a descendant sets the same key. They share the tenant's version (and so its ETag).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/tenants/tenant_commands.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

class tenant_aggregate;

// A key is 1-128 characters of [a-z0-9_.-]; a value at most 4 KiB as compact JSON; at most
// 200 flags on one tenant; a description at most 1,000 characters.
inline constexpr std::size_t max_flag_key_length = 128;
inline constexpr std::size_t max_flag_value_bytes = 4 * 1024;
inline constexpr std::size_t max_flags_per_tenant = 200;
inline constexpr std::size_t max_flag_description_length = 1000;

bool is_flag_key(std::string_view key);
// 404 not_found with details {"resource": "feature_flag", "key": ...}.
std::unexpected<error> feature_flag_not_found(const std::string& key);

// POST /v1/tenants/{ref}/feature-flags: a tenant_feature_flag_set event, none when the flag
// already holds exactly that value and description.
result<std::vector<event>> decide_set_flag(const tenant_aggregate& dir, const set_feature_flag& c);
// DELETE .../feature-flags/{key}: 404 not_found (resource feature_flag) when not set.
result<std::vector<event>> decide_remove_flag(const tenant_aggregate& dir,
                                              const remove_feature_flag& c);

}  // namespace tenantry
