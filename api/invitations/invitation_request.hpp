#pragma once
// The bodies of the invitation routes, read into what their commands need: every problem
// in one 400 validation_error naming the fields. Rules that need the write model (roles
// usable on the tenant, the lifetime's range) are the writer's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/result.hpp"

namespace tenantry::api {

// POST /v1/tenants/{ref}/invitations: roles default to ["member"] when absent (an empty
// list gives a membership without roles), expires_in to 7 days.
struct invitation_request {
  std::string invitee;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::int64_t expires_in = 0;
};
result<invitation_request> read_invitation_request(const nlohmann::json& body);

// POST /v1/invitations/{id}/accept and /decline: without `token` the signed-in invitee
// answers (any other field is ignored); with it, accepting also registers the invitee
// and needs `password` (at least 8 characters) and optionally `name`.
struct answer_request {
  std::optional<std::string> token;
  std::optional<std::string> password;
  std::string name;
};
result<answer_request> read_answer_request(const nlohmann::json& body, bool accepting);

}  // namespace tenantry::api
