#pragma once
// What a client asks of the tenant hierarchy, as plain data. Tenants are named by refs:
// slugs or ids, resolved by the writer against its write model.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace tenantry {

struct create_tenant {
  std::string name;
  std::optional<std::string> slug;
  std::string description;
  std::optional<std::string> parent;  // ref; none for a root tenant
};

struct update_tenant {
  std::string ref;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<std::int64_t> expected_version;  // If-Match
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

using tenant_command = std::variant<create_tenant, update_tenant, move_tenant,
                                    change_tenant_lifecycle, delete_tenant, restore_tenant>;

}  // namespace tenantry
