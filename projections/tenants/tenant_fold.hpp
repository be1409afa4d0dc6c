#pragma once
// Pure logic of the tenants read model: a tenant's row as a fold over its own events
// (restore rebuilds a row this way from the archive), and the plan that lets a run of
// tenant_created events become one multi-row INSERT.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/clock.hpp"
#include "events/envelope.hpp"
#include "events/metadata.hpp"

namespace tenantry {

// A tenant's own columns (no hierarchy-derived ones: level, path, effective_status).
struct tenant_snapshot {
  std::string id, slug, name, description;
  metadata_map metadata;
  nlohmann::json configuration = nlohmann::json::object();
  std::optional<std::string> parent_id;
  std::string status = "active";
  bool is_deleted = false;
  std::optional<timestamp> deleted_at;
  std::optional<std::string> deletion_id;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};

  bool operator==(const tenant_snapshot&) const = default;
};

// The tenant status a lifecycle event leads to, or nullopt for other events.
std::optional<std::string> status_after(const event& e);

// Applies one of the tenant's own events; events of other aggregates change nothing.
void evolve(tenant_snapshot& state, const recorded_event& e);

// The tenant as its history says; nullopt when the history has no tenant_created.
std::optional<tenant_snapshot> fold_tenant(const std::vector<recorded_event>& history);

// One tenant_created of a run, placed relative to its nearest ancestor that is not
// created within the same run (`anchor`, already a row, or none under a root):
// path = anchor's path || relative_path.
struct creation_placement {
  std::optional<std::string> anchor;
  std::string relative_path;  // ltree text, e.g. "a1b2.c3d4"
};

// Placements for a run of creations, in the run's order. A parent created earlier in the
// run contributes its own relative path, so the whole run inserts in one statement.
std::vector<creation_placement> place_creations(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& id_and_parent);

}  // namespace tenantry
