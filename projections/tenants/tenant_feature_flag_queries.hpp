#pragma once
// Queries of feature flags: the flags set on tenants, from the tenant_feature_flags read
// model, and the effective ones of a tenant, the deepest setting of each key down its
// ancestry (pure: effective_flags).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

// One flag as a tenant sets it, with that tenant's slug.
struct flag_row {
  std::string tenant_id, tenant_slug, key;
  nlohmann::json value;
  std::string description;
  timestamp created_at{};
  timestamp updated_at{};
};

// The flags that the tenants `tenant_ids` set (only `key`, when given), ordered by key.
std::vector<flag_row> flags_of(pqxx::connection& conn, const std::vector<std::string>& tenant_ids,
                               const std::optional<std::string>& key = std::nullopt);

// The flags a tenant runs with, given the rows of its path (`root_first`: ids from the root
// down to the tenant): for each key the row of the deepest tenant that sets it, ordered by
// key; `inherited` when that tenant is not the last of the path.
struct effective_flag {
  const flag_row* flag = nullptr;
  bool inherited = false;
};
std::vector<effective_flag> effective_flags(const std::vector<flag_row>& rows,
                                            const std::vector<std::string>& root_first);

}  // namespace tenantry
