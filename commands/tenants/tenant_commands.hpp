#pragma once
// What a client asks of the tenant hierarchy, as plain data. Tenants are named by refs:
// slugs or ids, resolved by the writer against its write model.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "events/metadata.hpp"

namespace tenantry {

struct create_tenant {
  std::string name;
  std::optional<std::string> slug;
  std::string description;
  std::optional<std::string> parent;  // ref; none for a root tenant
  metadata_map metadata = {};
};

struct update_tenant {
  std::string ref;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<std::int64_t> expected_version;  // If-Match
  std::optional<metadata_patch> metadata = std::nullopt;
};

// PUT /v1/tenants/{slug}: creates the tenant with exactly this slug, or replaces the
// description and metadata (and the name, when sent) of the live tenant that holds it.
struct put_tenant {
  std::string slug;
  std::optional<std::string> name;  // a create without one is named by its slug
  std::string description;
  metadata_map metadata;
  // Outer: whether the body names a parent; inner: the ref, or none for a root. On a
  // replace, a parent other than the current one is 409 parent_mismatch.
  std::optional<std::optional<std::string>> parent;
  std::optional<std::int64_t> expected_version;
};

// PATCH /v1/tenants/{ref}/configuration: a JSON merge patch (RFC 7396) of its configuration.
struct configure_tenant {
  std::string ref;
  nlohmann::json patch;
  std::optional<std::int64_t> expected_version;  // If-Match: the tenant's version
};

// POST /v1/tenants/{ref}/feature-flags: creates or replaces the flag `key` on the tenant.
struct set_feature_flag {
  std::string ref;
  std::string key;
  nlohmann::json value;
  std::string description;
  std::optional<std::int64_t> expected_version;  // If-Match: the tenant's version
};

// DELETE /v1/tenants/{ref}/feature-flags/{key}.
struct remove_feature_flag {
  std::string ref;
  std::string key;
  std::optional<std::int64_t> expected_version;
};

struct move_tenant {
  std::string ref;
  std::optional<std::string> parent;  // none: becomes a root
  std::optional<std::int64_t> expected_version;
};

enum class lifecycle_action { suspend, resume, activate, deactivate };

struct change_tenant_lifecycle {
  std::string ref;
  lifecycle_action action;
  std::string reason;
  std::optional<std::int64_t> expected_version;
};

struct delete_tenant {
  std::string ref;
  bool recursive = false;
  std::optional<std::int64_t> expected_version;
};

struct restore_tenant {
  std::string ref;
  std::optional<std::int64_t> expected_version;
};

using tenant_command = std::variant<create_tenant, update_tenant, put_tenant, configure_tenant,
                                    set_feature_flag, remove_feature_flag, move_tenant,
                                    change_tenant_lifecycle, delete_tenant, restore_tenant>;

}  // namespace tenantry
