#pragma once
// Queries of the tenants read model: plain rows out, no JSON, no HTTP. Every function
// runs parameterised SQL on the given connection (a postgres_pool worker's) and throws
// libpqxx exceptions on database failures.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"
#include "events/metadata.hpp"

namespace tenantry {

struct tenant_row {
  std::string id, slug, name, description;
  std::optional<std::string> parent_id;
  int level = 0;
  std::string status, effective_status;
  bool is_deleted = false;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
  metadata_map metadata = {};

  bool operator==(const tenant_row&) const = default;
};

struct tenant_filter {
  std::optional<std::string> parent_id;  // a tenant id
  std::optional<int> level;
  std::optional<std::string> status;
  bool include_deleted = false;
  std::string search;                              // case-insensitive substring of name or slug
  std::string ordering = "name";                   // name, -name, created_at, -created_at
  int page = 1;                                    // from 1
  int page_size = 20;                              // clamped to 1..200
  std::optional<std::vector<std::string>> within;  // only these tenants' subtrees (ids)
  bool roots_only = false;
};

struct tenant_page {
  std::int64_t count = 0;  // all matching rows, not just this page
  std::vector<tenant_row> rows;
};

inline constexpr int max_page_size = 200;
// The rows before `page` (counted from 1; anything lower is the first).
inline std::int64_t offset_of(int page, int page_size) {
  return static_cast<std::int64_t>(std::max(page, 1) - 1) * page_size;
}

// By id (a UUID) or slug. Deleted tenants only with include_deleted.
std::optional<tenant_row> find_tenant(pqxx::connection& conn, std::string_view ref,
                                      bool include_deleted);

tenant_page list_tenants(pqxx::connection& conn, const tenant_filter& filter);

// Live children of a tenant, by name.
tenant_page list_children(pqxx::connection& conn, const std::string& id, int page, int page_size);

// Root first, without the tenant itself.
std::vector<tenant_row> list_ancestors(pqxx::connection& conn, const std::string& id);

// The tenant and its live descendants down to max_depth levels below it (negative: all),
// each parent before its children.
std::vector<tenant_row> subtree(pqxx::connection& conn, const std::string& id, int max_depth);

}  // namespace tenantry
