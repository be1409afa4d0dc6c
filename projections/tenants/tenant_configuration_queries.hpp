#pragma once
// Queries of tenant configuration: each tenant's own object from the tenants read model,
// and the effective one, merged down the ancestry (pure: merge_down).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

// One tenant's own configuration, with the tenant's version and last change.
struct configuration_layer {
  std::string id, slug;
  nlohmann::json configuration = nlohmann::json::object();
  std::int64_t version = 0;
  timestamp updated_at{};
};

// The layers of the tenants `path_ids` names (root first, the tenant last), in that order;
// tenants missing from the read model are left out.
std::vector<configuration_layer> configuration_layers(pqxx::connection& conn,
                                                      const std::vector<std::string>& path_ids);

// The configuration a tenant runs with: every layer merged root first (RFC 7396: a deeper
// tenant's value replaces, objects merge), and for each top-level key the deepest tenant
// that sets it: {"<key>": {"id", "slug"}}.
struct effective_configuration {
  nlohmann::json configuration = nlohmann::json::object();
  nlohmann::json sources = nlohmann::json::object();
};
effective_configuration merge_down(const std::vector<configuration_layer>& root_first);

}  // namespace tenantry
