#pragma once
// What a client asks of API tokens, as plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"

namespace tenantry {

// An API token for a tenant. The API made the secret and shows it once; only its hash and
// display prefix come here.
struct issue_token {
  std::string tenant_ref;
  std::string created_by;  // the caller's user id
  std::string name;
  std::string description;
  std::vector<std::string> scopes;
  std::string secret_hash;
  std::string prefix;
  timestamp expires_at;
};

struct revoke_token {
  std::string tenant_ref;
  std::string token;  // the token's id
  std::optional<std::int64_t> expected_version;
};

using token_command = std::variant<issue_token, revoke_token>;

}  // namespace tenantry
