#pragma once
// The JSON representation of object permission grants, from the read model and from the
// write model (a grant answers with what it just gave).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/grants/grant_queries.hpp"

namespace tenantry::api {

// status: active or revoked.
nlohmann::json grant_json(const grant_row& g);
grant_row grant_row_of(const grant_state& g);

}  // namespace tenantry::api
