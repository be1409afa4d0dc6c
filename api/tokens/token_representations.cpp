#include "api/tokens/token_representations.hpp"

#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json token_json(const token_row& t, timestamp now) {
  const char* status = t.is_revoked ? "revoked" : t.expires_at <= now ? "expired" : "active";
  return versioned({{"id", t.id},
                    {"tenant_id", t.tenant_id},
                    {"name", t.name},
                    {"description", t.description},
                    {"scopes", t.scopes},
                    {"prefix", t.prefix},
                    {"created_by", t.created_by},
                    {"expires_at", format_rfc3339(t.expires_at)},
                    {"status", status},
                    {"revoked_at", time_or_null(t.revoked_at)},
                    {"revoked_reason", or_null(t.revoked_reason)}},
                   t);
}

token_row token_row_of(const token_state& t) {
  token_row out;
  out.id = t.id.value;
  out.tenant_id = t.tenant.value;
  out.created_by = t.created_by.value;
  out.name = t.name;
  out.description = t.description;
  out.prefix = t.prefix;
  out.scopes = t.scopes;
  out.expires_at = t.expires_at;
  out.is_revoked = t.revoked;
  if (t.revoked) {
    out.revoked_at = t.updated_at;
    out.revoked_reason = t.revoked_reason;
  }
  out.version = t.version;
  out.created_at = t.created_at;
  out.updated_at = t.updated_at;
  return out;
}

}  // namespace tenantry::api
