#pragma once
// The rules of invitations, decided on the whole write model: they refer to tenants,
// users, roles, memberships and grants. Pure: no I/O; the time is the context's.

#include <cstdint>
#include <variant>
#include <vector>

#include "commands/write_model.hpp"

namespace tenantry {

// Lifetimes in seconds: the default (7 days) and the longest allowed (30 days).
inline constexpr std::int64_t default_invitation_lifetime = 7 * 24 * 3600;
inline constexpr std::int64_t max_invitation_lifetime = 30 * 24 * 3600;

using invitation_command = std::variant<send_invitation, answer_invitation, revoke_invitation>;

// An answer or a revocation of a pending invitation past its expiry decides the one event
// invitation_expired (recorded, so the log says when it was found expired); the route
// answers it with 409 invitation_not_pending, as for any invitation no longer pending.
result<std::vector<event>> decide(const write_model& model, const invitation_command& command,
                                  const decide_context& ctx);

}  // namespace tenantry
