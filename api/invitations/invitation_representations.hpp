#pragma once
// The JSON representation of invitations, from the read model and from the write model (a
// command answers with what it just changed). Never the token, nor its hash.

#include <nlohmann/json.hpp>

#include "commands/write_model.hpp"
#include "projections/invitations/invitation_queries.hpp"

namespace tenantry::api {

nlohmann::json invitation_json(const invitation_row& i);
// The status as of `now` (a pending invitation past its expiry is expired).
invitation_row invitation_row_of(const write_model& model, const invitation_state& i,
                                 timestamp now);

}  // namespace tenantry::api
