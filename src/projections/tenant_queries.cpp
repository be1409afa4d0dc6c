#include "projections/tenant_queries.hpp"

#include <algorithm>
#include <utility>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres_codec.hpp"

namespace tenantry {

namespace {

const std::string kColumns =
    "SELECT t.id::text, t.slug, t.name, t.description, t.parent_id::text, t.level, t.status,"
    " t.effective_status, t.is_deleted, t.version,"
    " (extract(epoch FROM t.created_at) * 1000)::bigint,"
    " (extract(epoch FROM t.updated_at) * 1000)::bigint";

const std::string kFindById =
    kColumns + " FROM tenants t WHERE t.id = $1::uuid AND ($2::boolean OR NOT t.is_deleted)";
const std::string kFindBySlug =
    kColumns + " FROM tenants t WHERE t.slug = $1 AND ($2::boolean OR NOT t.is_deleted)";

// Every filter is a parameter; a NULL one drops out when the plan is made for the values.
// `within` keeps the rows in the subtrees of the given tenants: each subtree is a range
// of the path's text (migration 0003), so the index on it finds them; <@ states the meaning.
// The range's bounds come from another row, so the planner cannot see how narrow it is;
// LATERAL ... OFFSET 0 makes it scan that range per given tenant instead of the table.
const std::string kListFrom =
    " FROM tenants t"
    " WHERE ($1::uuid IS NULL OR t.parent_id = $1::uuid)"
    " AND ($2::integer IS NULL OR t.level = $2::integer)"
    " AND ($3::text IS NULL OR t.status = $3::text)"
    " AND ($4::boolean OR NOT t.is_deleted)"
    " AND ($5::text IS NULL OR lower(t.name) LIKE lower($5::text) OR t.slug LIKE lower($5::text))"
    " AND ($6::uuid[] IS NULL OR t.id IN (SELECT s.id FROM tenants w CROSS JOIN LATERAL"
    " (SELECT s.id FROM tenants s WHERE s.path::text ~>=~ w.path::text"
    " AND s.path::text ~<~ (w.path::text || '/') AND s.path <@ w.path OFFSET 0) s"
    " WHERE w.id = ANY($6::uuid[])))"
    " AND (NOT $7::boolean OR t.parent_id IS NULL)";
const std::string kListCount = "SELECT count(*)" + kListFrom;
const std::string kListPage = kColumns + kListFrom;
const std::string kPageLimit = " LIMIT $8 OFFSET $9";

const std::string kOrderByName = " ORDER BY lower(t.name), t.id";
const std::string kOrderByNameDesc = " ORDER BY lower(t.name) DESC, t.id DESC";
const std::string kOrderByCreated = " ORDER BY t.created_at, t.id";
const std::string kOrderByCreatedDesc = " ORDER BY t.created_at DESC, t.id DESC";

// The ancestors are the ids the path spells out (labels are ids without dashes).
const std::string kAncestors =
    kColumns +
    " FROM tenants c JOIN tenants t"
    " ON t.id = ANY(string_to_array(c.path::text, '.')::uuid[]) AND t.path @> c.path"
    " AND t.id <> c.id WHERE c.id = $1::uuid ORDER BY nlevel(t.path)";

// Sorting by path puts every parent before its children (siblings in id order).
const std::string kSubtree =
    kColumns +
    " FROM tenants r JOIN tenants t ON t.path::text ~>=~ r.path::text"
    " AND t.path::text ~<~ (r.path::text || '/') AND t.path <@ r.path"
    " WHERE r.id = $1::uuid AND (t.id = r.id OR NOT t.is_deleted)"
    " AND ($2::integer < 0 OR nlevel(t.path) <= nlevel(r.path) + $2::integer)"
    " ORDER BY t.path";

// Lookups whose plan does not depend on the values run as prepared statements of the
// connection, parsed and planned once instead of on every request (the list queries stay
// unnamed: their plans are made for the filters each request sets).
template <class... Args>
pqxx::result exec_prepared_on(pqxx::connection& conn, pqxx::transaction_base& tx,
                              const std::string& name, const std::string& sql, Args&&... args) {
  conn.prepare(name, sql);  // registers the definition once; the server sees it at first use
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

const std::string& order_clause(const std::string& ordering) {
  if (ordering == "-name") return kOrderByNameDesc;
  if (ordering == "created_at") return kOrderByCreated;
  if (ordering == "-created_at") return kOrderByCreatedDesc;
  return kOrderByName;
}

tenant_row read_tenant(const pqxx::row& r) {
  tenant_row t;
  t.id = r[0].as<std::string>();
  t.slug = r[1].as<std::string>();
  t.name = r[2].as<std::string>();
  t.description = r[3].as<std::string>();
  if (!r[4].is_null()) t.parent_id = r[4].as<std::string>();
  t.level = r[5].as<int>();
  t.status = r[6].as<std::string>();
  t.effective_status = r[7].as<std::string>();
  t.is_deleted = r[8].as<bool>();
  t.version = r[9].as<std::int64_t>();
  t.created_at = timestamp_from_millis(r[10].as<std::int64_t>());
  t.updated_at = timestamp_from_millis(r[11].as<std::int64_t>());
  return t;
}

std::vector<tenant_row> read_tenants(const pqxx::result& result) {
  std::vector<tenant_row> out;
  out.reserve(result.size());
  for (const auto& row : result) out.push_back(read_tenant(row));
  return out;
}

}  // namespace

std::optional<tenant_row> find_tenant(pqxx::connection& conn, std::string_view ref,
                                      bool include_deleted) {
  pqxx::nontransaction tx(conn);
  if (const auto id = canonical_uuid(ref)) {
    const pqxx::result r =
        exec_prepared_on(conn, tx, "tenant_find_by_id", kFindById, *id, include_deleted);
    if (!r.empty()) return read_tenant(r[0]);
  }
  const pqxx::result r = exec_prepared_on(conn, tx, "tenant_find_by_slug", kFindBySlug,
                                          std::string(ref), include_deleted);
  if (r.empty()) return std::nullopt;
  return read_tenant(r[0]);
}

tenant_page list_tenants(pqxx::connection& conn, const tenant_filter& f) {
  std::optional<std::string> parent;
  if (f.parent_id) {
    parent = canonical_uuid(*f.parent_id);
    if (!parent) return {};  // no tenant has that parent
  }
  std::optional<std::string> within;
  if (f.within) {
    std::vector<std::string> ids;
    for (const auto& w : *f.within)
      if (auto id = canonical_uuid(w)) ids.push_back(std::move(*id));
    within = array_literal(ids);
  }
  std::optional<std::string> search;
  if (!f.search.empty()) search = contains_pattern(f.search);
  const int page = std::max(f.page, 1);
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  const std::int64_t offset = static_cast<std::int64_t>(page - 1) * page_size;

  // One snapshot for the count and the page.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  tenant_page out;
  out.count = tx.exec_params1(kListCount, parent, f.level, f.status, f.include_deleted, search,
                              within, f.roots_only)[0]
                  .as<std::int64_t>();
  if (out.count > offset)
    out.rows = read_tenants(tx.exec_params(kListPage + order_clause(f.ordering) + kPageLimit,
                                           parent, f.level, f.status, f.include_deleted, search,
                                           within, f.roots_only, page_size, offset));
  tx.commit();
  return out;
}

tenant_page list_children(pqxx::connection& conn, const std::string& id, int page, int page_size) {
  tenant_filter f;
  f.parent_id = id;
  f.page = page;
  f.page_size = page_size;
  return list_tenants(conn, f);
}

std::vector<tenant_row> list_ancestors(pqxx::connection& conn, const std::string& id) {
  const auto uuid = canonical_uuid(id);
  if (!uuid) return {};
  pqxx::nontransaction tx(conn);
  return read_tenants(exec_prepared_on(conn, tx, "tenant_ancestors", kAncestors, *uuid));
}

std::vector<tenant_row> subtree(pqxx::connection& conn, const std::string& id, int max_depth) {
  const auto uuid = canonical_uuid(id);
  if (!uuid) return {};
  pqxx::nontransaction tx(conn);
  return read_tenants(exec_prepared_on(conn, tx, "tenant_subtree", kSubtree, *uuid, max_depth));
}

}  // namespace tenantry
