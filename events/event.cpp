#include "events/event.hpp"

#include <type_traits>

namespace tenantry {
namespace {

// The one table of event names: the CloudEvents type and the aggregate each event belongs to.
template <class T>
struct event_traits;

#define TENANTRY_EVENT_TRAITS(T, TYPE, AGGREGATE)            \
  template <>                                                \
  struct event_traits<T> {                                   \
    static constexpr std::string_view type = TYPE;           \
    static constexpr std::string_view aggregate = AGGREGATE; \
  }

TENANTRY_EVENT_TRAITS(tenant_created, "tenantry.tenant.created.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_updated, "tenantry.tenant.updated.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_moved, "tenantry.tenant.moved.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_suspended, "tenantry.tenant.suspended.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_resumed, "tenantry.tenant.resumed.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_activated, "tenantry.tenant.activated.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_deactivated, "tenantry.tenant.deactivated.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_deleted, "tenantry.tenant.deleted.v1", "tenant");
TENANTRY_EVENT_TRAITS(tenant_restored, "tenantry.tenant.restored.v1", "tenant");
TENANTRY_EVENT_TRAITS(user_registered, "tenantry.user.registered.v1", "user");
TENANTRY_EVENT_TRAITS(session_started, "tenantry.session.started.v1", "session");
TENANTRY_EVENT_TRAITS(session_refreshed, "tenantry.session.refreshed.v1", "session");
TENANTRY_EVENT_TRAITS(session_revoked, "tenantry.session.revoked.v1", "session");
TENANTRY_EVENT_TRAITS(role_defined, "tenantry.role.defined.v1", "role");
TENANTRY_EVENT_TRAITS(role_changed, "tenantry.role.changed.v1", "role");
TENANTRY_EVENT_TRAITS(role_deleted, "tenantry.role.deleted.v1", "role");
TENANTRY_EVENT_TRAITS(role_assigned, "tenantry.role_assignment.created.v1", "role_assignment");
TENANTRY_EVENT_TRAITS(role_assignment_revoked, "tenantry.role_assignment.revoked.v1",
                      "role_assignment");
TENANTRY_EVENT_TRAITS(member_added, "tenantry.member.added.v1", "membership");
TENANTRY_EVENT_TRAITS(member_changed, "tenantry.member.changed.v1", "membership");
TENANTRY_EVENT_TRAITS(member_removed, "tenantry.member.removed.v1", "membership");
TENANTRY_EVENT_TRAITS(group_created, "tenantry.group.created.v1", "group");
TENANTRY_EVENT_TRAITS(group_updated, "tenantry.group.updated.v1", "group");
TENANTRY_EVENT_TRAITS(group_deleted, "tenantry.group.deleted.v1", "group");
TENANTRY_EVENT_TRAITS(group_member_added, "tenantry.group.member_added.v1", "group");
TENANTRY_EVENT_TRAITS(group_member_removed, "tenantry.group.member_removed.v1", "group");
TENANTRY_EVENT_TRAITS(permission_granted, "tenantry.permission.granted.v1", "permission_grant");
TENANTRY_EVENT_TRAITS(permission_revoked, "tenantry.permission.revoked.v1", "permission_grant");
TENANTRY_EVENT_TRAITS(token_issued, "tenantry.token.issued.v1", "token");
TENANTRY_EVENT_TRAITS(token_revoked, "tenantry.token.revoked.v1", "token");
TENANTRY_EVENT_TRAITS(user_updated, "tenantry.user.updated.v1", "user");
TENANTRY_EVENT_TRAITS(user_profile_changed, "tenantry.user.profile_changed.v1", "user");
TENANTRY_EVENT_TRAITS(user_deactivated, "tenantry.user.deactivated.v1", "user");
TENANTRY_EVENT_TRAITS(user_activated, "tenantry.user.activated.v1", "user");
TENANTRY_EVENT_TRAITS(user_deleted, "tenantry.user.deleted.v1", "user");
TENANTRY_EVENT_TRAITS(user_restored, "tenantry.user.restored.v1", "user");
TENANTRY_EVENT_TRAITS(user_password_changed, "tenantry.user.password_changed.v1", "user");
TENANTRY_EVENT_TRAITS(invitation_sent, "tenantry.invitation.sent.v1", "invitation");
TENANTRY_EVENT_TRAITS(invitation_accepted, "tenantry.invitation.accepted.v1", "invitation");
TENANTRY_EVENT_TRAITS(invitation_declined, "tenantry.invitation.declined.v1", "invitation");
TENANTRY_EVENT_TRAITS(invitation_revoked, "tenantry.invitation.revoked.v1", "invitation");
TENANTRY_EVENT_TRAITS(invitation_expired, "tenantry.invitation.expired.v1", "invitation");

#undef TENANTRY_EVENT_TRAITS

}  // namespace

std::string_view event_type(const event& e) {
  return std::visit([](const auto& x) { return event_traits<std::decay_t<decltype(x)>>::type; }, e);
}

std::string_view aggregate_type(const event& e) {
  return std::visit(
      [](const auto& x) { return event_traits<std::decay_t<decltype(x)>>::aggregate; }, e);
}

const std::string& aggregate_id(const event& e) {
  return std::visit([](const auto& x) -> const std::string& { return x.id.value; }, e);
}

}  // namespace tenantry
