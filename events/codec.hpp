#pragma once
// The JSON codec of event payloads. Field names are part of the public event contract.

#include <string_view>

#include <nlohmann/json.hpp>

#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

nlohmann::json to_json(const event& e);
// Fails with invalid_argument for an unknown type or a payload that does not fit it.
result<event> event_from_json(std::string_view type, const nlohmann::json& data);

}  // namespace tenantry
