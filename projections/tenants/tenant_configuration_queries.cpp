#include "projections/tenants/tenant_configuration_queries.hpp"

#include <unordered_map>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

const std::string kLayers =
    "SELECT id::text, slug, configuration::text, version,"
    " (extract(epoch FROM updated_at) * 1000)::bigint"
    " FROM tenants WHERE id = ANY($1::uuid[])";

}  // namespace

std::vector<configuration_layer> configuration_layers(pqxx::connection& conn,
                                                      const std::vector<std::string>& path_ids) {
  std::vector<std::string> ids;
  for (const std::string& id : path_ids)
    if (auto uuid = canonical_uuid(id)) ids.push_back(std::move(*uuid));
  if (ids.empty()) return {};
  pqxx::nontransaction tx(conn);
  conn.prepare("tenant_configuration_layers", kLayers);
  std::unordered_map<std::string, configuration_layer> found;
  for (const auto& row : tx.exec_prepared("tenant_configuration_layers", array_literal(ids))) {
    configuration_layer layer;
    layer.id = row[0].as<std::string>();
    layer.slug = row[1].as<std::string>();
    layer.configuration = nlohmann::json::parse(row[2].as<std::string>(), nullptr, false);
    if (!layer.configuration.is_object()) layer.configuration = nlohmann::json::object();
    layer.version = row[3].as<std::int64_t>();
    layer.updated_at = timestamp_from_millis(row[4].as<std::int64_t>());
    found.emplace(layer.id, std::move(layer));
  }
  std::vector<configuration_layer> out;
  for (const std::string& id : ids)
    if (auto it = found.find(id); it != found.end()) out.push_back(std::move(it->second));
  return out;
}

effective_configuration merge_down(const std::vector<configuration_layer>& root_first) {
  effective_configuration out;
  for (const configuration_layer& layer : root_first) {
    out.configuration.merge_patch(layer.configuration);
    for (const auto& [key, value] : layer.configuration.items())
      out.sources[key] = {{"id", layer.id}, {"slug", layer.slug}};
  }
  return out;
}

}  // namespace tenantry
