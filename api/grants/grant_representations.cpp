#include "api/grants/grant_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json grant_json(const grant_row& g) {
  return versioned({{"id", g.id},
                    {"principal", {{"type", g.principal_type}, {"id", g.principal_id}}},
                    {"permission", g.permission},
                    {"object", {{"type", g.object_type}, {"id", g.object_id}}},
                    {"tenant_id", or_null(g.tenant_id)},
                    {"status", g.is_revoked ? "revoked" : "active"}},
                   g);
}

grant_row grant_row_of(const grant_state& g) {
  grant_row out;
  out.id = g.id.value;
  out.principal_type = g.principal_type;
  out.principal_id = g.principal_id;
  out.permission = g.permission;
  out.object_type = g.object_type;
  out.object_id = g.object_id;
  if (g.tenant) out.tenant_id = g.tenant->value;
  out.is_revoked = g.revoked;
  out.version = g.version;
  out.created_at = g.created_at;
  out.updated_at = g.updated_at;
  return out;
}

}  // namespace tenantry::api
