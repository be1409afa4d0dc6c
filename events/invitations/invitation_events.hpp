#pragma once
// Facts about invitations: an email address invited into a tenant with the roles and
// permissions it gets on acceptance, and how the invitation ended. Only the hash of the
// invitation's secret token is ever recorded.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/event_contract.hpp"
#include "events/ids.hpp"

namespace tenantry {

// Sent: `roles` are role keys (built-in names or custom role ids) usable on the tenant,
// `permissions` become object permission grants on the tenant when accepted.
struct invitation_sent {
  invitation_id id;
  tenant_id tenant;
  std::string invitee;  // an email address, lowercased
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::string token_hash;  // SHA-256 of the secret token, lowercase hex
  timestamp expires_at;
  user_id invited_by;
};

// The invitee accepted as `user` (registered by the same command when it had no account).
struct invitation_accepted {
  invitation_id id;
  user_id user;
};

// The invitee declined: signed in as `user`, or with the token and no account (none).
struct invitation_declined {
  invitation_id id;
  std::optional<user_id> user;
};

struct invitation_revoked {
  invitation_id id;
  std::string reason;  // "revoked"
};

// Recorded the first time someone acts on a pending invitation past its expiry; until
// then reads compute the status `expired` from `expires_at`.
struct invitation_expired {
  invitation_id id;
};

// The events of the invitations resource.
using invitation_event = std::variant<invitation_sent, invitation_accepted, invitation_declined,
                                      invitation_revoked, invitation_expired>;

template <>
struct event_contract<invitation_sent> {
  static constexpr std::string_view type = "tenantry.invitation.sent.v1";
  static constexpr std::string_view aggregate = "invitation";
  static constexpr auto fields = std::tuple{field("id", &invitation_sent::id),
                                            field("tenant", &invitation_sent::tenant),
                                            field("invitee", &invitation_sent::invitee),
                                            field("roles", &invitation_sent::roles),
                                            field("permissions", &invitation_sent::permissions),
                                            field("token_hash", &invitation_sent::token_hash),
                                            field("expires_at", &invitation_sent::expires_at),
                                            field("invited_by", &invitation_sent::invited_by)};
};

template <>
struct event_contract<invitation_accepted> {
  static constexpr std::string_view type = "tenantry.invitation.accepted.v1";
  static constexpr std::string_view aggregate = "invitation";
  static constexpr auto fields =
      std::tuple{field("id", &invitation_accepted::id), field("user", &invitation_accepted::user)};
};

template <>
struct event_contract<invitation_declined> {
  static constexpr std::string_view type = "tenantry.invitation.declined.v1";
  static constexpr std::string_view aggregate = "invitation";
  static constexpr auto fields =
      std::tuple{field("id", &invitation_declined::id), field("user", &invitation_declined::user)};
};

template <>
struct event_contract<invitation_revoked> {
  static constexpr std::string_view type = "tenantry.invitation.revoked.v1";
  static constexpr std::string_view aggregate = "invitation";
  static constexpr auto fields = std::tuple{field("id", &invitation_revoked::id),
                                            field("reason", &invitation_revoked::reason)};
};

template <>
struct event_contract<invitation_expired> {
  static constexpr std::string_view type = "tenantry.invitation.expired.v1";
  static constexpr std::string_view aggregate = "invitation";
  static constexpr auto fields = std::tuple{field("id", &invitation_expired::id)};
};

}  // namespace tenantry
