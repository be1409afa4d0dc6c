#include "api/access/access_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json role_json(const role_row& r) {
  return versioned({{"id", r.id},
                    {"name", r.name},
                    {"description", r.description},
                    {"permissions", r.permissions},
                    {"tenant_id", r.tenant_id},
                    {"is_builtin", false}},
                   r);
}

json builtin_role_json(std::string_view name) {
  return {{"id", name},
          {"name", name},
          {"description", name == "tenant_admin" ? "Every permission."
                          : name == "member"     ? "Every read permission."
                                                 : "Reads the tenant."},
          {"permissions", builtin_role_permissions(name)},
          {"tenant_id", nullptr},
          {"is_builtin", true}};
}

role_row role_row_of(const role_state& r) {
  return role_row{r.id.value,    r.tenant.value, r.name,       r.description,
                  r.permissions, r.version,      r.created_at, r.updated_at};
}

json assignment_json(const assignment_row& a, timestamp now) {
  const char* status = a.is_revoked                           ? "revoked"
                       : a.expires_at && *a.expires_at <= now ? "expired"
                                                              : "active";
  return versioned({{"id", a.id},
                    {"tenant_id", a.tenant_id},
                    {"principal", {{"type", a.principal_type}, {"id", a.principal_id}}},
                    {"role", {{"id", a.role}, {"name", a.role_name}}},
                    {"expires_at", time_or_null(a.expires_at)},
                    {"status", status}},
                   a);
}

assignment_row assignment_row_of(const access_aggregate& dir, const assignment_state& a) {
  return assignment_row{a.id.value, a.tenant.value,        a.principal_type, a.principal_id,
                        a.role,     dir.role_name(a.role), a.expires_at,     a.revoked,
                        a.version,  a.created_at,          a.updated_at};
}

json member_json(const member_row& m) {
  return versioned(
      {{"id", m.id},
       {"tenant_id", m.tenant_id},
       {"user", {{"id", m.user_id}, {"email", email_or_null(m.email)}, {"name", m.name}}},
       {"roles", role_refs_json(m.roles, m.role_names)}},
      m);
}

member_row member_row_of(const write_model& model, const membership_state& m) {
  member_row out;
  out.id = m.id.value;
  out.tenant_id = m.tenant.value;
  out.user_id = m.user.value;
  if (const user_state* u = model.users.find(m.user)) {
    out.email = u->email;
    out.name = u->name;
  }
  out.roles = m.roles;
  for (const auto& r : m.roles) out.role_names.push_back(model.access.role_name(r));
  out.version = m.version;
  out.created_at = m.created_at;
  out.updated_at = m.updated_at;
  return out;
}

}  // namespace tenantry::api
