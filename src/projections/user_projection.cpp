#include "projections/user_projection.hpp"

#include <optional>

#include "projections/postgres_codec.hpp"

namespace tenantry {

namespace {

// Each user's platform roles travel as one text[] literal inside the text[] parameter.
const std::string kInsertRegistered =
    "INSERT INTO users (id, email, name, platform_roles, is_active, version, created_at,"
    " updated_at)"
    " SELECT x.id, x.email, x.name, x.roles::text[], true, x.version, x.at, x.at"
    " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[],"
    " $6::timestamptz[]) AS x(id, email, name, roles, version, at)";

}  // namespace

void user_projection::apply(pqxx::transaction_base&, const recorded_event& e) {
  if (const auto* r = std::get_if<user_registered>(&e.data))
    registered_.push_back({*r, e.meta.aggregate_version, e.meta.time});
}

void user_projection::flush(pqxx::transaction_base& tx) {
  if (registered_.empty()) return;
  using column = std::vector<std::optional<std::string>>;
  column id, email, name, roles, version, at;
  for (const pending_registration& r : registered_) {
    id.push_back(r.data.id.value);
    email.push_back(r.data.email);
    name.push_back(r.data.name);
    roles.push_back(array_literal(r.data.platform_roles));
    version.push_back(std::to_string(r.version));
    at.push_back(timestamp_param(r.time));
  }
  tx.exec_params(kInsertRegistered, array_literal(id), array_literal(email), array_literal(name),
                 array_literal(roles), array_literal(version), array_literal(at));
  registered_.clear();
}

}  // namespace tenantry
