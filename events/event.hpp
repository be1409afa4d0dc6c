#pragma once
// Every event tenantry records, as one closed variant: std::visit over it is exhaustive.

#include <string_view>
#include <variant>

#include "events/access/access_events.hpp"
#include "events/groups/group_events.hpp"
#include "events/invitations/invitation_events.hpp"
#include "events/tenants/tenant_events.hpp"
#include "events/tokens/token_events.hpp"
#include "events/users/user_events.hpp"

namespace tenantry {

using event =
    std::variant<tenant_created, tenant_updated, tenant_moved, tenant_suspended, tenant_resumed,
                 tenant_activated, tenant_deactivated, tenant_deleted, tenant_restored,
                 user_registered, session_started, session_refreshed, session_revoked, role_defined,
                 role_changed, role_deleted, role_assigned, role_assignment_revoked, member_added,
                 member_changed, member_removed, group_created, group_updated, group_deleted,
                 group_member_added, group_member_removed, permission_granted, permission_revoked,
                 token_issued, token_revoked, user_updated, user_profile_changed, user_deactivated,
                 user_activated, user_deleted, user_restored, user_password_changed,
                 invitation_sent, invitation_accepted, invitation_declined, invitation_revoked,
                 invitation_expired>;

// CloudEvents type, e.g. "tenantry.tenant.suspended.v1".
std::string_view event_type(const event& e);
// "tenant", "user", "session", "role", "role_assignment", "membership", "group",
// "permission_grant", "token" or "invitation".
std::string_view aggregate_type(const event& e);
// The id of the aggregate the event belongs to (the CloudEvents subject).
const std::string& aggregate_id(const event& e);

}  // namespace tenantry
