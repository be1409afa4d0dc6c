#include "projections/tenants/tenant_feature_flag_queries.hpp"

#include <map>
#include <unordered_map>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

const std::string kFlags = "tenant_feature_flags_of";
const std::string kFlagsSql =
    "SELECT f.tenant_id::text, t.slug, f.key, f.value::text, f.description,"
    " (extract(epoch FROM f.created_at) * 1000)::bigint,"
    " (extract(epoch FROM f.updated_at) * 1000)::bigint"
    " FROM tenant_feature_flags f JOIN tenants t ON t.id = f.tenant_id"
    " WHERE f.tenant_id = ANY($1::uuid[]) AND ($2::text IS NULL OR f.key = $2)"
    " ORDER BY f.key, f.tenant_id";

}  // namespace

std::vector<flag_row> flags_of(pqxx::connection& conn, const std::vector<std::string>& tenant_ids,
                               const std::optional<std::string>& key) {
  std::vector<std::string> ids;
  for (const std::string& id : tenant_ids)
    if (auto uuid = canonical_uuid(id)) ids.push_back(std::move(*uuid));
  if (ids.empty()) return {};
  pqxx::nontransaction tx(conn);
  conn.prepare(kFlags, kFlagsSql);
  std::vector<flag_row> out;
  for (const auto& row : tx.exec_prepared(kFlags, array_literal(ids), key)) {
    flag_row f;
    f.tenant_id = row[0].as<std::string>();
    f.tenant_slug = row[1].as<std::string>();
    f.key = row[2].as<std::string>();
    f.value = nlohmann::json::parse(row[3].as<std::string>(), nullptr, false);
    f.description = row[4].as<std::string>();
    f.created_at = timestamp_from_millis(row[5].as<std::int64_t>());
    f.updated_at = timestamp_from_millis(row[6].as<std::int64_t>());
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<effective_flag> effective_flags(const std::vector<flag_row>& rows,
                                            const std::vector<std::string>& root_first) {
  std::unordered_map<std::string, std::size_t> depth;
  for (std::size_t i = 0; i < root_first.size(); ++i) depth.emplace(root_first[i], i);
  std::map<std::string, std::pair<std::size_t, const flag_row*>> deepest;  // key -> (depth, row)
  for (const flag_row& f : rows) {
    const auto d = depth.find(f.tenant_id);
    if (d == depth.end()) continue;
    auto [it, fresh] = deepest.try_emplace(f.key, d->second, &f);
    if (!fresh && d->second > it->second.first) it->second = {d->second, &f};
  }
  std::vector<effective_flag> out;
  out.reserve(deepest.size());
  for (const auto& [key, found] : deepest)
    out.push_back({found.second, found.first + 1 != root_first.size()});
  return out;
}

}  // namespace tenantry
