#pragma once
// The JSON representations of roles, role assignments and members, from the read models
// and from the write model (a command answers with what it just changed).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/access/access_queries.hpp"

namespace tenantry::api {

nlohmann::json role_json(const role_row& r);
nlohmann::json builtin_role_json(std::string_view name);
role_row role_row_of(const role_state& r);

// status: active, expired or revoked (as of `now`).
nlohmann::json assignment_json(const assignment_row& a, timestamp now);
assignment_row assignment_row_of(const access_aggregate& dir, const assignment_state& a);

nlohmann::json member_json(const member_row& m);
member_row member_row_of(const write_model& model, const membership_state& m);

}  // namespace tenantry::api
