#pragma once
// The body of POST /v1/tenants/{ref}/tokens, read into what the writer needs: types and
// ranges are checked here (400 validation_error naming the fields); the rules that need
// the write model and its clock (names, scopes, lifetime, limits) are the writer's.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/clock.hpp"
#include "events/result.hpp"

namespace tenantry::api {

struct token_request {
  std::string name;
  std::string description;
  std::vector<std::string> scopes;
  timestamp expires_at{};
};

// {"name", "scopes": [...], "description"?, "expires_at"? | "expires_in"? (seconds)}; without
// either, the token lives default_token_lifetime from `now`.
result<token_request> read_token_request(const nlohmann::json& body, timestamp now);

}  // namespace tenantry::api
