#pragma once
// Who sends a command and what the route's guard says it needs: the writer checks it
// against its own state before it decides.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tenantry {

// Who besides permission holders may act on an object: nobody, also its party (the user
// an invitation was sent to), or only its party.
enum class object_party { none, also, only };

// An upsert's check (PUT /v1/tenants/{slug}) holds only on one side of the question "does a
// tenant hold this slug?": the replace's needs one, the create's needs none to. A caller
// that may not see the tenant holding the slug is told only that the slug is taken.
struct slug_condition {
  std::string slug;
  bool held = true;
};

// Who sends a command and what it needs: the writer checks it against its own state
// (the API checked it against the read models first, which may lag by a few ms).
struct command_authorization {
  std::string user_id;
  std::vector<std::string> platform_roles;
  std::string permission;
  std::optional<std::string> tenant_ref;  // none: the platform level
  // An object guard: `permission` on the tenant that owns this object (the platform level
  // when it has none); the writer finds that tenant itself. Kinds: see object_kinds.hpp.
  std::string object_kind = {};
  std::string object_ref = {};
  // Set when the caller is an API token: the writer judges the token's own state (revoked,
  // expired) and its creator's current roles limited to the token's scopes.
  std::string token_id{};
  // Set: allowed without `permission` when this user ref names the caller itself.
  std::optional<std::string> self_ref = std::nullopt;
  // The auth generation of the caller's access token: one older than the user's (a
  // password change since) is refused.
  std::optional<std::int64_t> auth_generation = std::nullopt;
  // Whether the object's party (an invitation's invitee) may act too, or only it (then
  // `permission` is empty). The party may always see the object: 403, never 404.
  object_party party = object_party::none;
  // Set: the check applies only when the condition holds (an upsert's two sides).
  std::optional<slug_condition> only_when = std::nullopt;
};

}  // namespace tenantry
