#pragma once
// Facts about API tokens: secrets a tenant's admin hands to scripts and services. The
// secret itself is never recorded, only its SHA-256 and a short prefix for display.

#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/event_contract.hpp"
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

// The events of the API tokens resource.
using token_event = std::variant<token_issued, token_revoked>;

template <>
struct event_contract<token_issued> {
  static constexpr std::string_view type = "tenantry.token.issued.v1";
  static constexpr std::string_view aggregate = "token";
  static constexpr auto fields = std::tuple{field("id", &token_issued::id),
                                            field("tenant", &token_issued::tenant),
                                            field("created_by", &token_issued::created_by),
                                            field("name", &token_issued::name),
                                            field("description", &token_issued::description),
                                            field("scopes", &token_issued::scopes),
                                            field("secret_hash", &token_issued::secret_hash),
                                            field("prefix", &token_issued::prefix),
                                            field("expires_at", &token_issued::expires_at)};
};

template <>
struct event_contract<token_revoked> {
  static constexpr std::string_view type = "tenantry.token.revoked.v1";
  static constexpr std::string_view aggregate = "token";
  static constexpr auto fields =
      std::tuple{field("id", &token_revoked::id), field("reason", &token_revoked::reason)};
};

}  // namespace tenantry
