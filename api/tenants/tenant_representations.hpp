#pragma once
// The JSON representation of tenants, from the read model and from the write model (a
// command answers with the state it just created, before any projector ran).

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry::api {

nlohmann::json tenant_json(const tenant_row& t);
tenant_row tenant_row_of(const tenant_aggregate& dir, const tenant_state& t);

}  // namespace tenantry::api
