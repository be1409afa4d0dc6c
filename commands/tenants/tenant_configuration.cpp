#include "commands/tenants/tenant_configuration.hpp"

#include <string>

#include "commands/tenants/tenant_aggregate.hpp"

namespace tenantry {

result<std::vector<event>> decide_configure(const tenant_aggregate& dir,
                                            const configure_tenant& c) {
  if (!c.patch.is_object()) return validation("configuration", "the patch must be a JSON object");
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  nlohmann::json merged = (*t)->configuration;
  merged.merge_patch(c.patch);
  if (!merged.is_object()) merged = nlohmann::json::object();
  const std::size_t size = merged.dump().size();
  if (size > max_configuration_bytes)
    return fail(errc::invalid_argument, "validation_error",
                "configuration: at most " + std::to_string(max_configuration_bytes) +
                    " bytes once merged, not " + std::to_string(size),
                {{"configuration", "at most 65536 bytes once merged"}, {"size", size}});
  if (merged == (*t)->configuration) return std::vector<event>{};
  return std::vector<event>{tenant_configured{(*t)->id, std::move(merged)}};
}

}  // namespace tenantry
