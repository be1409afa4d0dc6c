#pragma once
// The write model of invitations: every invitation with its recorded status, and the
// invitations of each tenant. Pure: no I/O, no clock (expiry is judged against the time
// the caller passes).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/event.hpp"

namespace tenantry {

// `expired` is recorded by an invitation_expired event; a pending invitation past its
// expiry is expired too (status_at).
enum class invitation_status { pending, accepted, declined, revoked, expired };
std::string_view to_string(invitation_status s);

struct invitation_state {
  invitation_id id;
  tenant_id tenant;
  std::string invitee;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::string token_hash;
  timestamp expires_at{};
  user_id invited_by;
  invitation_status status = invitation_status::pending;
  std::optional<user_id> answered_by;
  std::int64_t version = 0;
  timestamp created_at{};
  timestamp updated_at{};

  // The status as of `now`: a pending invitation past `expires_at` is expired.
  invitation_status status_at(timestamp now) const;
};

class invitation_aggregate {
 public:
  const invitation_state* find(const invitation_id& id) const;
  // The tenant's invitation to `email` still pending by its recorded status (it may be
  // past its expiry), if any.
  const invitation_state* pending_for(const tenant_id& tenant, std::string_view email) const;

  void evolve(const event& e, std::int64_t version, timestamp at);

 private:
  std::unordered_map<invitation_id, invitation_state> by_id_;
  std::unordered_map<tenant_id, std::vector<invitation_id>> by_tenant_;
};

}  // namespace tenantry
