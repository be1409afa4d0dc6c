#pragma once
// What a client asks of groups of users, as plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace tenantry {

// Groups: `tenant_ref` none for a platform group; `group_ref` is a group's id or slug.
struct create_group {
  std::optional<std::string> tenant_ref;
  std::string name;
  std::optional<std::string> slug;
  std::string description;
};

// PATCH (absent fields unchanged) and PUT (the handler sends every field).
struct update_group {
  std::string group_ref;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<std::int64_t> expected_version;
};

struct delete_group {
  std::string group_ref;
  std::optional<std::int64_t> expected_version;
};

struct add_group_member {
  std::string group_ref;
  std::string user_ref;
};

struct remove_group_member {
  std::string group_ref;
  std::string user_ref;
};

using group_command =
    std::variant<create_group, update_group, delete_group, add_group_member, remove_group_member>;

}  // namespace tenantry
