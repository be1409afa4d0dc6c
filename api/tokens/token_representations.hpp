#pragma once
// The JSON representation of an API token, from the read model and from the write model
// (issuing answers with the token it just made). Never the secret: the issuing route adds
// it to its one answer itself.

#include <nlohmann/json.hpp>

#include "commands/tokens/token_aggregate.hpp"
#include "projections/tokens/token_queries.hpp"

namespace tenantry::api {

// status: active, expired or revoked (as of `now`).
nlohmann::json token_json(const token_row& t, timestamp now);
token_row token_row_of(const token_state& t);

}  // namespace tenantry::api
