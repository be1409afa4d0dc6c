#pragma once
// Queries of the groups read model (groups and their members): plain rows out, libpqxx
// exceptions on failures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct group_row {
  std::string id;
  std::optional<std::string> tenant_id;  // none: a platform group
  std::string slug, name, description;
  std::int64_t member_count = 0;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

struct group_filter {
  std::optional<std::string> tenant_id;  // none: the platform groups
  std::string search;                    // case-insensitive substring of name or slug
  std::string ordering = "name";         // name, -name, created_at, -created_at
  int page = 1;
  int page_size = 20;
};

struct group_page {
  std::int64_t count = 0;
  std::vector<group_row> rows;
};

struct group_member_row {
  std::string user_id, email, name;
  timestamp added_at{};
};

struct group_member_page {
  std::int64_t count = 0;
  std::vector<group_member_row> rows;
};

// A live group (not deleted, not inside a deleted tenant) by id or slug.
std::optional<group_row> find_group(pqxx::connection& conn, std::string_view ref);
group_page list_groups(pqxx::connection& conn, const group_filter& filter);
// The group's members by email.
group_member_page list_group_members(pqxx::connection& conn, const std::string& group_id, int page,
                                     int page_size);

}  // namespace tenantry
