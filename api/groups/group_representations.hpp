#pragma once
// The JSON representations of groups and group members, from the read model and from the
// write model (a command answers with what it just changed).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/groups/group_queries.hpp"

namespace tenantry::api {

nlohmann::json group_json(const group_row& g);
group_row group_row_of(const group_state& g);

nlohmann::json group_member_json(const std::string& group_id, const group_member_row& m);

}  // namespace tenantry::api
