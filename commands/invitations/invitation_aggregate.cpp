#include "commands/invitations/invitation_aggregate.hpp"

#include <type_traits>

#include "commands/tenants/tenant_aggregate.hpp"

namespace tenantry {

std::string_view to_string(invitation_status s) {
  switch (s) {
    case invitation_status::pending:
      return "pending";
    case invitation_status::accepted:
      return "accepted";
    case invitation_status::declined:
      return "declined";
    case invitation_status::revoked:
      return "revoked";
    case invitation_status::expired:
      return "expired";
  }
  return "unknown";
}

invitation_status invitation_state::status_at(timestamp now) const {
  if (status == invitation_status::pending && expires_at <= now) return invitation_status::expired;
  return status;
}

const invitation_state* invitation_aggregate::find(const invitation_id& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const invitation_state* invitation_aggregate::pending_for(const tenant_id& tenant,
                                                          std::string_view email) const {
  const auto it = by_tenant_.find(tenant);
  if (it == by_tenant_.end()) return nullptr;
  for (const invitation_id& id : it->second) {
    const invitation_state* i = find(id);
    if (i && i->status == invitation_status::pending && i->invitee == email) return i;
  }
  return nullptr;
}

void invitation_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<invitation_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, invitation_sent>) {
      invitation_state& i = by_id_[ev.id];
      i = invitation_state{ev.id,
                           ev.tenant,
                           ev.invitee,
                           ev.roles,
                           ev.permissions,
                           ev.token_hash,
                           ev.expires_at,
                           ev.invited_by,
                           invitation_status::pending,
                           std::nullopt,
                           version,
                           at,
                           at};
      by_tenant_[ev.tenant].push_back(ev.id);
    } else if constexpr (std::is_same_v<T, invitation_accepted> ||
                         std::is_same_v<T, invitation_declined> ||
                         std::is_same_v<T, invitation_revoked> ||
                         std::is_same_v<T, invitation_expired>) {
      invitation_state& i = by_id_.at(ev.id);
      if constexpr (std::is_same_v<T, invitation_accepted>) {
        i.status = invitation_status::accepted;
        i.answered_by = ev.user;
      } else if constexpr (std::is_same_v<T, invitation_declined>) {
        i.status = invitation_status::declined;
        i.answered_by = ev.user;
      } else if constexpr (std::is_same_v<T, invitation_revoked>) {
        i.status = invitation_status::revoked;
      } else if constexpr (std::is_same_v<T, invitation_expired>) {
        i.status = invitation_status::expired;
      } else {
        static_assert(unhandled<T>, "an invitation's end the invitations aggregate does not apply");
      }
      i.version = version;
      i.updated_at = at;
    } else {
      static_assert(unhandled<T>, "an invitation event the invitations aggregate does not apply");
    }
  });
}

std::int64_t invitation_aggregate::version_of(const event& e) const {
  return version_before<invitation_event>(*this, e);
}

std::string invitation_aggregate::partition_key_of(const event& e,
                                                   const tenant_aggregate& tenants) const {
  return partition_key_of_owned<invitation_event>(*this, e, tenants);
}

}  // namespace tenantry
