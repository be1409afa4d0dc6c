#pragma once
// Facts about tenants (organizations and their descendants), as recorded in the log.

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "events/event_contract.hpp"
#include "events/ids.hpp"
#include "events/metadata.hpp"

namespace tenantry {

struct tenant_created {
  tenant_id id;
  std::string slug;
  std::string name;
  std::string description;
  std::optional<tenant_id> parent;  // none for a root tenant (an organization)
  metadata_map metadata = {};       // absent from events written before metadata: empty
};

// A change of name, description, slug and/or metadata (a PATCH, or an upsert's replace);
// absent fields are unchanged. `metadata` is the whole new map, never a patch.
struct tenant_updated {
  tenant_id id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<metadata_map> metadata = std::nullopt;
};

// A change of the tenant's configuration: the whole object after a merge patch, never the
// patch itself. It counts as a change of the tenant (its version, its ETag).
struct tenant_configured {
  tenant_id id;
  nlohmann::json configuration = nlohmann::json::object();
};

// A feature flag set on a tenant, created or replaced: it holds for the tenant's subtree
// unless a descendant sets the same key. Like every tenant event, it moves the version.
struct tenant_feature_flag_set {
  tenant_id id;
  std::string key;
  nlohmann::json value;  // any JSON value
  std::string description;
};

struct tenant_feature_flag_removed {
  tenant_id id;
  std::string key;
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

// The events of the tenants resource.
using tenant_event =
    std::variant<tenant_created, tenant_updated, tenant_moved, tenant_suspended, tenant_resumed,
                 tenant_activated, tenant_deactivated, tenant_deleted, tenant_restored,
                 tenant_configured, tenant_feature_flag_set, tenant_feature_flag_removed>;

template <>
struct event_contract<tenant_created> {
  static constexpr std::string_view type = "tenantry.tenant.created.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{
      field("id", &tenant_created::id),         field("slug", &tenant_created::slug),
      field("name", &tenant_created::name),     field("description", &tenant_created::description),
      field("parent", &tenant_created::parent), field("metadata", &tenant_created::metadata)};
};

template <>
struct event_contract<tenant_updated> {
  static constexpr std::string_view type = "tenantry.tenant.updated.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{
      field("id", &tenant_updated::id), field("name", &tenant_updated::name),
      field("description", &tenant_updated::description), field("slug", &tenant_updated::slug),
      field("metadata", &tenant_updated::metadata)};
};

template <>
struct event_contract<tenant_configured> {
  static constexpr std::string_view type = "tenantry.tenant.configured.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields =
      std::tuple{field("id", &tenant_configured::id),
                 field("configuration", &tenant_configured::configuration)};
};

template <>
struct event_contract<tenant_feature_flag_set> {
  static constexpr std::string_view type = "tenantry.tenant.feature_flag_set.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{
      field("id", &tenant_feature_flag_set::id), field("key", &tenant_feature_flag_set::key),
      field("value", &tenant_feature_flag_set::value),
      field("description", &tenant_feature_flag_set::description)};
};

template <>
struct event_contract<tenant_feature_flag_removed> {
  static constexpr std::string_view type = "tenantry.tenant.feature_flag_removed.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{field("id", &tenant_feature_flag_removed::id),
                                            field("key", &tenant_feature_flag_removed::key)};
};

template <>
struct event_contract<tenant_moved> {
  static constexpr std::string_view type = "tenantry.tenant.moved.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields =
      std::tuple{field("id", &tenant_moved::id), field("from_parent", &tenant_moved::from_parent),
                 field("to_parent", &tenant_moved::to_parent)};
};

template <>
struct event_contract<tenant_suspended> {
  static constexpr std::string_view type = "tenantry.tenant.suspended.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields =
      std::tuple{field("id", &tenant_suspended::id), field("reason", &tenant_suspended::reason)};
};

template <>
struct event_contract<tenant_resumed> {
  static constexpr std::string_view type = "tenantry.tenant.resumed.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields =
      std::tuple{field("id", &tenant_resumed::id), field("reason", &tenant_resumed::reason)};
};

template <>
struct event_contract<tenant_activated> {
  static constexpr std::string_view type = "tenantry.tenant.activated.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields =
      std::tuple{field("id", &tenant_activated::id), field("reason", &tenant_activated::reason)};
};

template <>
struct event_contract<tenant_deactivated> {
  static constexpr std::string_view type = "tenantry.tenant.deactivated.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{field("id", &tenant_deactivated::id),
                                            field("reason", &tenant_deactivated::reason)};
};

template <>
struct event_contract<tenant_deleted> {
  static constexpr std::string_view type = "tenantry.tenant.deleted.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{field("id", &tenant_deleted::id),
                                            field("deletion_id", &tenant_deleted::deletion_id),
                                            field("deleted_via", &tenant_deleted::deleted_via)};
};

template <>
struct event_contract<tenant_restored> {
  static constexpr std::string_view type = "tenantry.tenant.restored.v1";
  static constexpr std::string_view aggregate = "tenant";
  static constexpr auto fields = std::tuple{field("id", &tenant_restored::id),
                                            field("deletion_id", &tenant_restored::deletion_id)};
};

}  // namespace tenantry
