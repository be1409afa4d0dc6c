#include "commands/tenants/tenant_feature_flags.hpp"

#include <string>

#include "commands/tenants/tenant_aggregate.hpp"
#include "events/text_length.hpp"

namespace tenantry {

bool is_flag_key(std::string_view key) {
  if (key.empty() || key.size() > max_flag_key_length) return false;
  for (const char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

std::unexpected<error> feature_flag_not_found(const std::string& key) {
  return fail(errc::not_found, "not_found", "No feature flag '" + key + "' is set on the tenant.",
              {{"resource", "feature_flag"}, {"key", key}});
}

result<std::vector<event>> decide_set_flag(const tenant_aggregate& dir, const set_feature_flag& c) {
  if (!is_flag_key(c.key))
    return validation("key", "must be 1-" + std::to_string(max_flag_key_length) +
                                 " characters of a-z, 0-9, '_', '.' and '-'");
  if (const std::size_t size = c.value.dump().size(); size > max_flag_value_bytes)
    return validation("value", "must be at most " + std::to_string(max_flag_value_bytes) +
                                   " bytes as compact JSON, not " + std::to_string(size));
  if (code_points(c.description) > max_flag_description_length)
    return validation(
        "description",
        "must be at most " + std::to_string(max_flag_description_length) + " characters");
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  const auto& flags = (*t)->feature_flags;
  if (const auto it = flags.find(c.key); it != flags.end()) {
    if (it->second.value == c.value && it->second.description == c.description)
      return std::vector<event>{};
  } else if (flags.size() >= max_flags_per_tenant) {
    return fail(errc::conflict, "flag_limit_reached",
                "The tenant already sets " + std::to_string(max_flags_per_tenant) +
                    " feature flags, the most one tenant may set.",
                {{"limit", max_flags_per_tenant}});
  }
  return std::vector<event>{tenant_feature_flag_set{(*t)->id, c.key, c.value, c.description}};
}

result<std::vector<event>> decide_remove_flag(const tenant_aggregate& dir,
                                              const remove_feature_flag& c) {
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (!(*t)->feature_flags.contains(c.key)) return feature_flag_not_found(c.key);
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  return std::vector<event>{tenant_feature_flag_removed{(*t)->id, c.key}};
}

}  // namespace tenantry
