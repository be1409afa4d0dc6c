#include "api/users/user_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

nlohmann::json user_json(const user_row& u) {
  return versioned({{"id", u.id},
                    {"email", email_or_null(u.email)},
                    {"name", u.name},
                    {"platform_roles", u.platform_roles},
                    {"is_active", u.is_active},
                    {"is_deleted", u.is_deleted}},
                   u);
}

user_row user_row_of(const user_state& u) {
  return user_row{u.id.value, u.email,      u.name,       u.platform_roles, u.active,
                  u.version,  u.created_at, u.updated_at, u.deleted,        u.profile};
}

nlohmann::json profile_json(const user_row& u) {
  const user_profile& p = u.profile;
  return {{"user_id", u.id},          {"display_name", p.display_name},
          {"locale", p.locale},       {"timezone", p.timezone},
          {"phone", p.phone},         {"avatar_url", p.avatar_url},
          {"job_title", p.job_title}, {"bio", p.bio},
          {"version", u.version},     {"updated_at", format_rfc3339(u.updated_at)}};
}

}  // namespace tenantry::api
