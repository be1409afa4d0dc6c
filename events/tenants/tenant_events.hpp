#pragma once
// Facts about tenants (organizations and their descendants), as recorded in the log.

#include <optional>
#include <string>

#include "events/ids.hpp"

namespace tenantry {

struct tenant_created {
  tenant_id id;
  std::string slug;
  std::string name;
  std::string description;
  std::optional<tenant_id> parent;  // none for a root tenant (an organization)
};

// PATCH of name, description and/or slug; absent fields are unchanged.
struct tenant_updated {
  tenant_id id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
};

struct tenant_moved {
  tenant_id id;
  std::optional<tenant_id> from_parent;
  std::optional<tenant_id> to_parent;
};

// The four lifecycle transitions share one shape; the tag keeps them distinct types.
template <class Tag>
struct tenant_lifecycle_event {
  tenant_id id;
  std::string reason;
};
using tenant_suspended = tenant_lifecycle_event<struct tenant_suspended_tag>;
using tenant_resumed = tenant_lifecycle_event<struct tenant_resumed_tag>;
using tenant_activated = tenant_lifecycle_event<struct tenant_activated_tag>;
using tenant_deactivated = tenant_lifecycle_event<struct tenant_deactivated_tag>;

// One event per tenant of a deleted subtree, all in one transaction; `deletion_id` ties
// them together so that a restore brings back exactly what was deleted with it.
struct tenant_deleted {
  tenant_id id;
  std::string deletion_id;
  tenant_id deleted_via;  // the tenant the DELETE named (the subtree's root)
};

struct tenant_restored {
  tenant_id id;
  std::string deletion_id;
};

}  // namespace tenantry
