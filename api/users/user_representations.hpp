#pragma once
// The JSON representations of users and their profiles, from the read model and from the
// write model (a command answers with the state it just created, before any projector ran).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {

nlohmann::json user_json(const user_row& u);
user_row user_row_of(const user_state& u);
// GET /v1/users/{ref}/profile: the profile with the user's id and version.
nlohmann::json profile_json(const user_row& u);

}  // namespace tenantry::api
