#include "projections/tenants/tenant_queries.hpp"

#include <algorithm>
#include <utility>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "projections/postgres/list_statement.hpp"
#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {

namespace {

const std::string kColumns =
    "SELECT t.id::text, t.slug, t.name, t.description, t.parent_id::text, t.level, t.status,"
    " t.effective_status, t.is_deleted, t.version,"
    " (extract(epoch FROM t.created_at) * 1000)::bigint,"
    " (extract(epoch FROM t.updated_at) * 1000)::bigint, t.metadata::text";

const std::string kFindById =
    kColumns + " FROM tenants t WHERE t.id = $1::uuid AND ($2::boolean OR NOT t.is_deleted)";
const std::string kFindBySlug =
    kColumns + " FROM tenants t WHERE t.slug = $1 AND ($2::boolean OR NOT t.is_deleted)";

// A list's WHERE clause holds only the filters the request sets, so each combination is
// its own small statement, prepared once per connection: planning the one statement with
// every filter as an optional parameter cost more than running it (1.3 ms against
// 0.4 ms for a search on 100,000 tenants, docs/performance.md).
//
// `within` keeps the rows in the subtrees of the given tenants: each subtree is a range
// of the path's text (migration 0003), so the index on it finds them; <@ states the meaning.
// The range's bounds come from another row, so the planner cannot see how narrow it is;
// LATERAL ... OFFSET 0 makes it scan that range per given tenant instead of the table.
const std::string kWithin =
    "t.id IN (SELECT s.id FROM tenants w CROSS JOIN LATERAL"
    " (SELECT s.id FROM tenants s WHERE s.path::text ~>=~ w.path::text"
    " AND s.path::text ~<~ (w.path::text || '/') AND s.path <@ w.path OFFSET 0) s"
    " WHERE w.id = ANY($N::uuid[]))";
// search_text is lower(name), a separator and the slug, with one trigram index (0009).
const std::string kSearch = "t.search_text LIKE lower($N::text)";

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

list_order order_of(const std::string& ordering) {
  if (ordering == "-name") return {"N", kOrderByNameDesc};
  if (ordering == "created_at") return {"c", kOrderByCreated};
  if (ordering == "-created_at") return {"C", kOrderByCreatedDesc};
  return {"n", kOrderByName};
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
  t.metadata = metadata_from_json(r[12].as<std::string>());
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
  list_statement q("tenant", kColumns, " FROM tenants t");
  if (f.parent_id) {
    auto parent = canonical_uuid(*f.parent_id);
    if (!parent) return {};  // no tenant has that parent
    q.where('p', "t.parent_id = $N::uuid", std::move(*parent));
  }
  if (f.level) q.where('l', "t.level = $N::integer", std::to_string(*f.level));
  if (f.status) q.where('s', "t.status = $N::text", *f.status);
  if (!f.include_deleted) q.where('d', "NOT t.is_deleted");
  if (f.search.find('\x1f') != std::string::npos) return {};  // in no name and no slug
  if (!f.search.empty()) q.where('q', kSearch, contains_pattern(f.search));
  if (f.within) {
    std::vector<std::string> ids;
    for (const auto& w : *f.within)
      if (auto id = canonical_uuid(w)) ids.push_back(std::move(*id));
    q.where('w', kWithin, array_literal(ids));
  }
  if (f.roots_only) q.where('r', "t.parent_id IS NULL");
  const int page = std::max(f.page, 1);
  const int page_size = std::clamp(f.page_size, 1, max_page_size);
  const std::int64_t offset = static_cast<std::int64_t>(page - 1) * page_size;

  // One snapshot for the count and the page.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  tenant_page out;
  if (f.search.empty()) {
    out.count = q.count(conn, tx);
    if (out.count > offset)
      out.rows = read_tenants(q.page(conn, tx, order_of(f.ordering), page_size, offset));
  } else {  // a search sorts every match anyway: count them in the same pass
    auto [rows, count] = q.page_and_count(conn, tx, order_of(f.ordering), page_size, offset);
    out.rows = read_tenants(rows);
    out.count = count;
  }
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
