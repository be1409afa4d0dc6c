#pragma once
// Queries of the users read model: plain rows out, no JSON, no HTTP; libpqxx exceptions
// on database failures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct user_row {
  std::string id, email, name;
  std::vector<std::string> platform_roles;
  bool is_active = true;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};

  bool operator==(const user_row&) const = default;
};

struct user_filter {
  std::string search;  // case-insensitive substring of email or name
  std::optional<bool> is_active;
  std::string ordering = "email";  // email, -email, name, -name, created_at, -created_at
  int page = 1;                    // from 1
  int page_size = 20;              // clamped to 1..200
};

struct user_page {
  std::int64_t count = 0;  // all matching rows, not just this page
  std::vector<user_row> rows;
};

// By id (a UUID) or email (case-insensitive).
std::optional<user_row> find_user(pqxx::connection& conn, std::string_view ref);

user_page list_users(pqxx::connection& conn, const user_filter& filter);

}  // namespace tenantry
