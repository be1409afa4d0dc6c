#include "projections/tenant_projection.hpp"

#include <optional>

#include <spdlog/spdlog.h>
#include <pqxx/result>

#include "projections/event_archive.hpp"
#include "projections/postgres_codec.hpp"
#include "projections/tenant_fold.hpp"

namespace tenantry {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

// A run of creations, placed by place_creations(): path = anchor's path || relative path;
// the new tenants are active, so they inherit the anchor's effective status.
const std::string kInsertCreated =
    "INSERT INTO tenants (id, slug, name, description, parent_id, level, path, status,"
    " effective_status, is_deleted, version, created_at, updated_at)"
    " SELECT x.id, x.slug, x.name, x.description, x.parent_id,"
    " nlevel(coalesce(a.path, ''::ltree) || x.rel::ltree),"
    " coalesce(a.path, ''::ltree) || x.rel::ltree,"
    " 'active', coalesce(a.effective_status, 'active'), false, x.version, x.at, x.at"
    " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[],"
    " $7::text[], $8::bigint[], $9::timestamptz[])"
    " AS x(id, slug, name, description, parent_id, anchor, rel, version, at)"
    " LEFT JOIN tenants a ON a.id = x.anchor";

const std::string kUpdate = "tenant_update";
const std::string kUpdateSql =
    "UPDATE tenants SET name = coalesce($2, name), description = coalesce($3, description),"
    " slug = coalesce($4, slug), version = $5, updated_at = $6::timestamptz WHERE id = $1::uuid";

// Rewrites path and level of the moved tenant's whole subtree under the new parent's path.
const std::string kMove = "tenant_move";
const std::string kMoveSql =
    "WITH src AS (SELECT path AS old FROM tenants WHERE id = $1::uuid),"
    " dst AS (SELECT coalesce((SELECT path FROM tenants WHERE id = $2::uuid), ''::ltree) AS base)"
    " UPDATE tenants t SET"
    " path = dst.base || subpath(t.path, nlevel(src.old) - 1),"
    " level = nlevel(dst.base) + nlevel(t.path) - nlevel(src.old) + 1,"
    " parent_id = CASE WHEN t.id = $1::uuid THEN $2::uuid ELSE t.parent_id END,"
    " version = CASE WHEN t.id = $1::uuid THEN $3::bigint ELSE t.version END,"
    " updated_at = CASE WHEN t.id = $1::uuid THEN $4::timestamptz ELSE t.updated_at END"
    " FROM src, dst WHERE t.path <@ src.old";

// Sets the status of $1 (when $2 is not NULL; with version $3 and time $4) and recomputes
// effective_status for its whole subtree in one statement: the worst status on each
// row's path from the root (inactive before suspended before active). Only the few
// non-active tenants above and below $1 are collected ("marks"), so the cost is one
// index scan of the subtree plus the rows whose effective status really changes.
const std::string kStatus = "tenant_status";
const std::string kStatusSql =
    "WITH me AS MATERIALIZED (SELECT path FROM tenants WHERE id = $1::uuid),"
    " marks AS MATERIALIZED (SELECT c.path, c.status FROM ("
    " SELECT n.path, CASE WHEN n.id = $1::uuid THEN coalesce($2::text, n.status)"
    " ELSE n.status END AS status"
    " FROM tenants n, me WHERE n.path @> me.path OR n.path <@ me.path) c"
    " WHERE c.status <> 'active'),"
    " x AS (SELECT s.ctid AS tid, s.effective_status AS old,"
    " (SELECT CASE WHEN bool_or(m.status = 'inactive') THEN 'inactive'"
    " WHEN bool_or(m.status = 'suspended') THEN 'suspended' ELSE 'active' END"
    " FROM marks m WHERE m.path @> s.path) AS effective"
    " FROM me, tenants s WHERE s.path <@ me.path)"
    " UPDATE tenants d SET effective_status = x.effective,"
    " status = CASE WHEN d.id = $1::uuid THEN coalesce($2::text, d.status) ELSE d.status END,"
    " version = CASE WHEN d.id = $1::uuid THEN coalesce($3::bigint, d.version)"
    " ELSE d.version END,"
    " updated_at = CASE WHEN d.id = $1::uuid THEN coalesce($4::timestamptz, d.updated_at)"
    " ELSE d.updated_at END"
    " FROM x WHERE d.ctid = x.tid"
    " AND ((d.id = $1::uuid AND $2::text IS NOT NULL) OR x.old IS DISTINCT FROM x.effective)";

const std::string kDelete = "tenant_delete";
const std::string kDeleteSql =
    "UPDATE tenants SET is_deleted = true, deleted_at = $2::timestamptz, deletion_id = $3,"
    " version = $4, updated_at = $2::timestamptz WHERE id = $1::uuid";

const std::string kCurrentPath = "tenant_current_path";
const std::string kCurrentPathSql = "SELECT path::text FROM tenants WHERE id = $1::uuid";

// A row rebuilt from history, placed under its parent's current path.
const std::string kRestore = "tenant_restore";
const std::string kRestoreSql =
    "INSERT INTO tenants (id, slug, name, description, parent_id, level, path, status,"
    " effective_status, is_deleted, deleted_at, deletion_id, version, created_at, updated_at)"
    " SELECT $1::uuid, $2, $3, $4, $5::uuid, nlevel(np.path), np.path, $6, $6, $7,"
    " $8::timestamptz, $9, $10, $11::timestamptz, $12::timestamptz"
    " FROM (SELECT coalesce((SELECT path FROM tenants WHERE id = $5::uuid), ''::ltree)"
    " || $13::ltree AS path) np"
    " ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, name = EXCLUDED.name,"
    " description = EXCLUDED.description, parent_id = EXCLUDED.parent_id,"
    " level = EXCLUDED.level, path = EXCLUDED.path, status = EXCLUDED.status,"
    " is_deleted = EXCLUDED.is_deleted, deleted_at = EXCLUDED.deleted_at,"
    " deletion_id = EXCLUDED.deletion_id, version = EXCLUDED.version,"
    " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at"
    " RETURNING path::text";

// Moves the descendants of a row whose path changed from $1 to $2.
const std::string kRebase = "tenant_rebase";
const std::string kRebaseSql =
    "UPDATE tenants SET path = $2::ltree || subpath(path, nlevel($1::ltree)),"
    " level = nlevel($2::ltree) + nlevel(path) - nlevel($1::ltree)"
    " WHERE path <@ $1::ltree AND path <> $1::ltree";

std::optional<std::string> id_text(const std::optional<tenant_id>& id) {
  if (!id) return std::nullopt;
  return id->value;
}

void recompute_effective_status(pqxx::transaction_base& tx, const std::string& id) {
  const std::optional<std::string> unchanged;
  tx.exec_prepared(kStatus, id, unchanged, std::optional<std::int64_t>(), unchanged);
}

bool ends_with_label(const std::string& path, const std::string& label) {
  return path == label || (path.size() > label.size() && path.ends_with("." + label));
}

}  // namespace

void tenant_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kUpdate, kUpdateSql);
  conn.prepare(kMove, kMoveSql);
  conn.prepare(kStatus, kStatusSql);
  conn.prepare(kDelete, kDeleteSql);
  conn.prepare(kCurrentPath, kCurrentPathSql);
  conn.prepare(kRestore, kRestoreSql);
  conn.prepare(kRebase, kRebaseSql);
}

void tenant_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  if (const auto* c = std::get_if<tenant_created>(&e.data)) {
    created_.push_back({*c, e.meta.aggregate_version, e.meta.time});
    return;
  }
  std::visit(overloaded{
                 [&](const tenant_created&) {},
                 [&](const tenant_updated& u) { apply_update(tx, e, u); },
                 [&](const tenant_moved& m) { apply_move(tx, e, m); },
                 [&]<class Tag>(const tenant_lifecycle_event<Tag>& l) {
                   apply_status(tx, e, l.id, *status_after(e.data));
                 },
                 [&](const tenant_deleted& d) { apply_delete(tx, e, d); },
                 [&](const tenant_restored& r) { apply_restore(tx, e, r); },
                 [&](const auto&) {},  // events of other aggregates
             },
             e.data);
}

void tenant_projection::flush(pqxx::transaction_base& tx) {
  if (created_.empty()) return;
  std::vector<std::pair<std::string, std::optional<std::string>>> links;
  links.reserve(created_.size());
  for (const auto& c : created_) links.emplace_back(c.data.id.value, id_text(c.data.parent));
  const std::vector<creation_placement> places = place_creations(links);

  using column = std::vector<std::optional<std::string>>;
  column id, slug, name, description, parent, anchor, rel, version, at;
  for (std::size_t i = 0; i < created_.size(); ++i) {
    const pending_creation& c = created_[i];
    id.push_back(c.data.id.value);
    slug.push_back(c.data.slug);
    name.push_back(c.data.name);
    description.push_back(c.data.description);
    parent.push_back(id_text(c.data.parent));
    anchor.push_back(places[i].anchor);
    rel.push_back(places[i].relative_path);
    version.push_back(std::to_string(c.version));
    at.push_back(timestamp_param(c.time));
  }
  tx.exec_params(kInsertCreated, array_literal(id), array_literal(slug), array_literal(name),
                 array_literal(description), array_literal(parent), array_literal(anchor),
                 array_literal(rel), array_literal(version), array_literal(at));
  created_.clear();
}

void tenant_projection::apply_update(pqxx::transaction_base& tx, const recorded_event& e,
                                     const tenant_updated& u) {
  flush(tx);
  tx.exec_prepared(kUpdate, u.id.value, u.name, u.description, u.slug, e.meta.aggregate_version,
                   timestamp_param(e.meta.time));
}

void tenant_projection::apply_move(pqxx::transaction_base& tx, const recorded_event& e,
                                   const tenant_moved& m) {
  flush(tx);
  tx.exec_prepared(kMove, m.id.value, id_text(m.to_parent), e.meta.aggregate_version,
                   timestamp_param(e.meta.time));
  recompute_effective_status(tx, m.id.value);
}

void tenant_projection::apply_status(pqxx::transaction_base& tx, const recorded_event& e,
                                     const tenant_id& id, const std::string& status) {
  flush(tx);
  tx.exec_prepared(kStatus, id.value, status, e.meta.aggregate_version,
                   timestamp_param(e.meta.time));
}

void tenant_projection::apply_delete(pqxx::transaction_base& tx, const recorded_event& e,
                                     const tenant_deleted& d) {
  flush(tx);
  tx.exec_prepared(kDelete, d.id.value, timestamp_param(e.meta.time), d.deletion_id,
                   e.meta.aggregate_version);
}

// Folds the tenant's archived history (which includes this event) into its row, then
// puts the row back under its parent and recomputes the subtree's effective status.
void tenant_projection::apply_restore(pqxx::transaction_base& tx, const recorded_event& e,
                                      const tenant_restored& r) {
  flush(tx);
  std::vector<recorded_event> history;
  for (const stored_event& s : archived_history(tx, r.id.value, e.offset)) {
    auto decoded = decode(s);
    if (!decoded) {
      spdlog::error("tenants: restore of {} skips undecodable event at offset {}: {}", r.id.value,
                    s.offset, decoded.error().message);
      continue;
    }
    history.push_back(std::move(*decoded));
  }
  // The archive already holds this batch, so the history normally ends with this event;
  // should it not (an event without a subject), fold the restore in anyway.
  if (history.empty() || history.back().offset != e.offset) history.push_back(e);
  const std::optional<tenant_snapshot> row = fold_tenant(history);
  if (!row) {
    spdlog::error("tenants: restore of {} at offset {} found no tenant_created in the archive",
                  r.id.value, e.offset);
    return;
  }
  const std::string label = ltree_label(row->id);
  const pqxx::result old = tx.exec_prepared(kCurrentPath, row->id);
  const pqxx::row placed = tx.exec_prepared1(
      kRestore, row->id, row->slug, row->name, row->description, row->parent_id, row->status,
      row->is_deleted,
      row->deleted_at ? std::optional<std::string>(timestamp_param(*row->deleted_at))
                      : std::nullopt,
      row->deletion_id, row->version, timestamp_param(row->created_at),
      timestamp_param(row->updated_at), label);
  const std::string new_path = placed[0].as<std::string>();
  if (!old.empty()) {
    const std::string old_path = old[0][0].as<std::string>();
    // Only a path that really named this tenant has descendants to carry along.
    if (old_path != new_path && ends_with_label(old_path, label))
      tx.exec_prepared(kRebase, old_path, new_path);
  }
  recompute_effective_status(tx, row->id);
}

}  // namespace tenantry
