#pragma once
// Facts about groups of users, at platform level or owned by a tenant.

#include <optional>
#include <string>
#include <variant>

#include "events/event_contract.hpp"
#include "events/ids.hpp"

namespace tenantry {

// A group of users; `tenant` is the tenant that owns it, none for a platform group.
struct group_created {
  group_id id;
  std::optional<tenant_id> tenant;
  std::string slug;
  std::string name;
  std::string description;
};

// A PUT or PATCH: the fields that changed; absent ones are unchanged.
struct group_updated {
  group_id id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
};

// A soft delete: the group's members and role assignments stop counting at once.
struct group_deleted {
  group_id id;
};

// A user joins or leaves a group (events of the group's aggregate).
struct group_member_added {
  group_id id;
  user_id user;
};

struct group_member_removed {
  group_id id;
  user_id user;
};

// The events of the groups resource.
using group_event = std::variant<group_created, group_updated, group_deleted, group_member_added,
                                 group_member_removed>;

template <>
struct event_contract<group_created> {
  static constexpr std::string_view type = "tenantry.group.created.v1";
  static constexpr std::string_view aggregate = "group";
  static constexpr auto fields =
      std::tuple{field("id", &group_created::id), field("tenant", &group_created::tenant),
                 field("slug", &group_created::slug), field("name", &group_created::name),
                 field("description", &group_created::description)};
};

template <>
struct event_contract<group_updated> {
  static constexpr std::string_view type = "tenantry.group.updated.v1";
  static constexpr std::string_view aggregate = "group";
  static constexpr auto fields = std::tuple{
      field("id", &group_updated::id), field("name", &group_updated::name),
      field("description", &group_updated::description), field("slug", &group_updated::slug)};
};

template <>
struct event_contract<group_deleted> {
  static constexpr std::string_view type = "tenantry.group.deleted.v1";
  static constexpr std::string_view aggregate = "group";
  static constexpr auto fields = std::tuple{field("id", &group_deleted::id)};
};

template <>
struct event_contract<group_member_added> {
  static constexpr std::string_view type = "tenantry.group.member_added.v1";
  static constexpr std::string_view aggregate = "group";
  static constexpr auto fields =
      std::tuple{field("id", &group_member_added::id), field("user", &group_member_added::user)};
};

template <>
struct event_contract<group_member_removed> {
  static constexpr std::string_view type = "tenantry.group.member_removed.v1";
  static constexpr std::string_view aggregate = "group";
  static constexpr auto fields = std::tuple{field("id", &group_member_removed::id),
                                            field("user", &group_member_removed::user)};
};

}  // namespace tenantry
