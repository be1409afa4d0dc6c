#pragma once
// Every event tenantry records, as one closed variant composed from each resource's own
// variant: std::visit over it is exhaustive. The one registration of the events layer: a
// new resource adds its variant to `event` below.

#include <string_view>
#include <variant>

#include "events/access/access_events.hpp"
#include "events/grants/grant_events.hpp"
#include "events/groups/group_events.hpp"
#include "events/invitations/invitation_events.hpp"
#include "events/tenants/tenant_events.hpp"
#include "events/tokens/token_events.hpp"
#include "events/users/user_events.hpp"
#include "events/variants.hpp"

namespace tenantry {

using event = join_variants_t<tenant_event, user_event, access_event, group_event, grant_event,
                              token_event, invitation_event>;
static_assert(distinct_alternatives<event>, "an event belongs to one resource only");

// CloudEvents type, e.g. "tenantry.tenant.suspended.v1".
std::string_view event_type(const event& e);
// "tenant", "user", "session", "role", "role_assignment", "membership", "group",
// "permission_grant", "token" or "invitation".
std::string_view aggregate_type(const event& e);
// The id of the aggregate the event belongs to (the CloudEvents subject).
const std::string& aggregate_id(const event& e);

}  // namespace tenantry
