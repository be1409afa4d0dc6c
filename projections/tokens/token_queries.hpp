#pragma once
// Queries of the API tokens read model: the credential lookup every `Bearer tnt_...`
// request makes, and the token lists and details of the token routes. Plain rows out,
// libpqxx exceptions on failures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct token_row {
  std::string id, tenant_id, created_by, name, description, prefix;
  std::vector<std::string> scopes;
  timestamp expires_at{};
  bool is_revoked = false;
  std::optional<timestamp> revoked_at;
  std::optional<std::string> revoked_reason;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

// What authentication needs of a presented secret, with its creator's current standing.
// Only tokens whose creator exists and whose tenant is not deleted are found.
struct token_credential {
  std::string id, tenant_id, created_by;
  std::vector<std::string> scopes;
  timestamp expires_at{};
  bool is_revoked = false;
  std::vector<std::string> creator_platform_roles;
  bool creator_active = true;
};

// One prepared statement on the pool connection's unique index of secret hashes.
std::optional<token_credential> find_token_credential(pqxx::connection& conn,
                                                      const std::string& secret_hash);
// The same for a token named by its id (what GET /v1/authz/check asks about a token).
std::optional<token_credential> find_token_credential_by_id(pqxx::connection& conn,
                                                            std::string_view token_id);

struct token_filter {
  std::string tenant_id;
  std::optional<std::string> status;  // active, expired, revoked; none: all
  std::string search;                 // a substring of the name, any case
  timestamp now{};                    // what "expired" is measured against
  int page = 1;
  int page_size = 20;
};

struct token_page {
  std::int64_t count = 0;
  std::vector<token_row> rows;
};

// The tenant's own tokens (not its ancestors'), newest first.
token_page list_tokens(pqxx::connection& conn, const token_filter& filter);
std::optional<token_row> find_token(pqxx::connection& conn, const std::string& tenant_id,
                                    std::string_view token_id);

// Those of `candidates` (tenant ids) that lie in the subtree of `tenant_id`, itself included.
std::vector<std::string> tenants_within(pqxx::connection& conn, const std::string& tenant_id,
                                        const std::vector<std::string>& candidates);

}  // namespace tenantry
