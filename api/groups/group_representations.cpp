#include "api/groups/group_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json group_json(const group_row& g) {
  return versioned({{"id", g.id},
                    {"slug", g.slug},
                    {"name", g.name},
                    {"description", g.description},
                    {"tenant_id", or_null(g.tenant_id)},
                    {"scope", g.tenant_id ? "tenant" : "platform"},
                    {"member_count", g.member_count}},
                   g);
}

group_row group_row_of(const group_state& g) {
  group_row out;
  out.id = g.id.value;
  if (g.tenant) out.tenant_id = g.tenant->value;
  out.slug = g.slug;
  out.name = g.name;
  out.description = g.description;
  out.member_count = static_cast<std::int64_t>(g.members.size());
  out.version = g.version;
  out.created_at = g.created_at;
  out.updated_at = g.updated_at;
  return out;
}

json group_member_json(const std::string& group_id, const group_member_row& m) {
  return {{"group_id", group_id},
          {"user", {{"id", m.user_id}, {"email", email_or_null(m.email)}, {"name", m.name}}},
          {"added_at", format_rfc3339(m.added_at)}};
}

}  // namespace tenantry::api
