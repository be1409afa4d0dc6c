#pragma once
// Queries of the object permission grants read model: plain rows out, libpqxx exceptions on
// failures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct grant_row {
  std::string id, principal_type, principal_id, permission, object_type, object_id;
  std::optional<std::string> tenant_id;
  bool is_revoked = false;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

struct grant_filter {
  std::optional<std::string> object_type, object_id;  // ids
  std::optional<std::string> principal_id;
  bool include_revoked = false;
  // Only grants on objects owned by these tenants' subtrees; none: every grant.
  std::optional<std::vector<std::string>> within;
  int page = 1;
  int page_size = 20;
};

struct grant_page {
  std::int64_t count = 0;
  std::vector<grant_row> rows;
};

// Oldest first; never those inside a deleted tenant.
grant_page list_grants(pqxx::connection& conn, const grant_filter& filter);
std::optional<grant_row> find_grant(pqxx::connection& conn, std::string_view id);

}  // namespace tenantry
