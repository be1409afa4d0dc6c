#pragma once
// Facts about API tokens: secrets a tenant's admin hands to scripts and services. The
// secret itself is never recorded, only its SHA-256 and a short prefix for display.

#include <string>
#include <vector>

#include "events/clock.hpp"
#include "events/ids.hpp"

namespace tenantry {

// A token that acts on `tenant` and its subtree with at most `scopes` (tenant
// permissions), never more than its creator holds there at the time of use.
struct token_issued {
  token_id id;
  tenant_id tenant;
  user_id created_by;
  std::string name;
  std::string description;
  std::vector<std::string> scopes;
  std::string secret_hash;  // lowercase hex SHA-256 of the whole secret
  std::string prefix;       // the secret's first characters, e.g. "tnt_Ab3dE9xQ"
  timestamp expires_at;
};

// The token stops working at once. Expiry is not an event: it is computed from expires_at.
struct token_revoked {
  token_id id;
  std::string reason;  // "revoked", "user_deleted", ...
};

}  // namespace tenantry
