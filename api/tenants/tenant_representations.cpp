#include "api/tenants/tenant_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

nlohmann::json tenant_json(const tenant_row& t) {
  return versioned({{"id", t.id},
                    {"slug", t.slug},
                    {"name", t.name},
                    {"description", t.description},
                    {"parent_id", or_null(t.parent_id)},
                    {"level", t.level},
                    {"status", t.status},
                    {"effective_status", t.effective_status},
                    {"is_deleted", t.is_deleted}},
                   t);
}

tenant_row tenant_row_of(const tenant_aggregate& dir, const tenant_state& t) {
  return tenant_row{t.id.value,
                    t.slug,
                    t.name,
                    t.description,
                    t.parent ? std::optional(t.parent->value) : std::nullopt,
                    dir.level(t),
                    std::string(to_string(t.status)),
                    std::string(to_string(dir.effective_status(t))),
                    t.deleted,
                    t.version,
                    t.created_at,
                    t.updated_at};
}

nlohmann::json user_json(const user_row& u) {
  return versioned({{"id", u.id},
                    {"email", u.email},
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
