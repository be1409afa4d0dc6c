#include "api/invitations/invitation_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json invitation_json(const invitation_row& i) {
  return versioned({{"id", i.id},
                    {"tenant_id", i.tenant_id},
                    {"invitee", email_or_null(i.invitee)},
                    {"roles", role_refs_json(i.roles, i.role_names)},
                    {"permissions", i.permissions},
                    {"status", i.status},
                    {"expires_at", format_rfc3339(i.expires_at)},
                    {"invited_by", i.invited_by},
                    {"answered_by", or_null(i.answered_by)},
                    {"answered_at", time_or_null(i.answered_at)}},
                   i);
}

invitation_row invitation_row_of(const write_model& model, const invitation_state& i,
                                 timestamp now) {
  invitation_row out;
  out.id = i.id.value;
  out.tenant_id = i.tenant.value;
  out.invitee = i.invitee;
  out.roles = i.roles;
  for (const auto& r : i.roles) out.role_names.push_back(model.access.role_name(r));
  out.permissions = i.permissions;
  out.status = std::string(to_string(i.status_at(now)));
  out.expires_at = i.expires_at;
  out.invited_by = i.invited_by.value;
  if (i.answered_by) out.answered_by = i.answered_by->value;
  if (i.status == invitation_status::accepted || i.status == invitation_status::declined)
    out.answered_at = i.updated_at;
  out.version = i.version;
  out.created_at = i.created_at;
  out.updated_at = i.updated_at;
  return out;
}

}  // namespace tenantry::api
