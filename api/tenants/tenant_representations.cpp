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
                    {"is_deleted", t.is_deleted},
                    {"metadata", t.metadata}},
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
                    t.updated_at,
                    t.metadata};
}

}  // namespace tenantry::api
