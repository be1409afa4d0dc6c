#pragma once
// The JSON representations of groups, group members and object permission grants, from
// the read models and from the write model (a command answers with what it just changed).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/groups/group_queries.hpp"

namespace tenantry::api {

nlohmann::json group_json(const group_row& g);
group_row group_row_of(const group_state& g);

nlohmann::json group_member_json(const std::string& group_id, const group_member_row& m);

// status: active or revoked.
nlohmann::json grant_json(const grant_row& g);
grant_row grant_row_of(const grant_state& g);

}  // namespace tenantry::api
