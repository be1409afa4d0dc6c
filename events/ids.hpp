#pragma once
// Strong identifier types (UUIDv7 strings) and their generator: a tenant_id is not a user_id.

#include <compare>
#include <functional>
#include <string>

namespace tenantry {

template <class Tag>
struct strong_id {
  std::string value;
  auto operator<=>(const strong_id&) const = default;
  bool empty() const { return value.empty(); }
};

using tenant_id = strong_id<struct tenant_id_tag>;
using user_id = strong_id<struct user_id_tag>;
using session_id = strong_id<struct session_id_tag>;
using role_id = strong_id<struct role_id_tag>;  // a custom role; built-in roles go by name
using assignment_id = strong_id<struct assignment_id_tag>;
using membership_id = strong_id<struct membership_id_tag>;
using group_id = strong_id<struct group_id_tag>;
using grant_id = strong_id<struct grant_id_tag>;  // an object permission grant
using token_id = strong_id<struct token_id_tag>;  // an API token
using invitation_id = strong_id<struct invitation_id_tag>;

// A new random UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
std::string new_uuid_v7();

// True when `text` has the canonical 8-4-4-4-12 lowercase hex shape of a UUID.
bool looks_like_uuid(std::string_view text);

}  // namespace tenantry

template <class Tag>
struct std::hash<tenantry::strong_id<Tag>> {
  size_t operator()(const tenantry::strong_id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.value);
  }
};
