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
#include "events/users/user_events.hpp"

namespace tenantry {

struct user_row {
  std::string id, email, name;
  std::vector<std::string> platform_roles;
  bool is_active = true;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
  bool is_deleted = false;
  user_profile profile;

  bool operator==(const user_row&) const = default;
};

struct user_filter {
  std::string search;  // case-insensitive substring of email or name
  std::optional<bool> is_active;
  bool include_deleted = false;
  // A tenant id: only the members of its subtree (the tenant and its live descendants).
  std::optional<std::string> organization;
  // Set: only this user and the members of tenants in the subtrees of `visible_roots`
  // (tenant ids); none: every user (platform roles).
  std::optional<std::string> visible_self;
  std::vector<std::string> visible_roots;
  std::string ordering = "email";  // email, -email, name, -name, created_at, -created_at
  int page = 1;                    // from 1
  int page_size = 20;              // clamped to 1..200
};

struct user_page {
  std::int64_t count = 0;  // all matching rows, not just this page
  std::vector<user_row> rows;
};

// By id (a UUID) or email (case-insensitive); a deleted user only when asked.
std::optional<user_row> find_user(pqxx::connection& conn, std::string_view ref,
                                  bool include_deleted = false);

user_page list_users(pqxx::connection& conn, const user_filter& filter);

// What authentication checks on every request: whether the user may still act, the
// generation its tokens must carry at least, and the platform roles it holds now.
struct user_standing {
  bool is_active = false;
  bool is_deleted = true;
  std::int64_t auth_generation = 0;
  std::vector<std::string> platform_roles;
};

// One prepared lookup by primary key; nullopt for an unknown (or malformed) id.
std::optional<user_standing> find_user_standing(pqxx::connection& conn, const std::string& id);

}  // namespace tenantry
