#include "projections/tenants/tenant_projection.hpp"

#include <optional>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <pqxx/result>

#include "projections/event_archive.hpp"
#include "projections/postgres/postgres_codec.hpp"
#include "projections/tenants/tenant_fold.hpp"

namespace tenantry {

namespace {

// A run of creations, placed by place_creations(): path = anchor's path || relative path;
// the new tenants are active, so they inherit the anchor's effective status.
const std::string kInsertCreated = "tenant_insert_created";
const std::string kInsertCreatedSql =
    "INSERT INTO tenants (id, slug, name, description, parent_id, level, path, status,"
    " effective_status, is_deleted, version, created_at, updated_at, metadata)"
    " SELECT x.id, x.slug, x.name, x.description, x.parent_id,"
    " nlevel(coalesce(a.path, ''::ltree) || x.rel::ltree),"
    " coalesce(a.path, ''::ltree) || x.rel::ltree,"
    " 'active', coalesce(a.effective_status, 'active'), false, x.version, x.at, x.at, x.metadata"
    " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[],"
    " $7::text[], $8::bigint[], $9::timestamptz[], $10::jsonb[])"
    " AS x(id, slug, name, description, parent_id, anchor, rel, version, at, metadata)"
    " LEFT JOIN tenants a ON a.id = x.anchor";

// A slug change: run on its own, in log order, so that slugs stay unique at every step.
const std::string kUpdate = "tenant_update";
const std::string kUpdateSql =
    "UPDATE tenants SET name = coalesce($2, name), description = coalesce($3, description),"
    " slug = coalesce($4, slug), version = $5, updated_at = $6::timestamptz,"
    " metadata = coalesce($7::jsonb, metadata) WHERE id = $1::uuid";

// What a run of updates, lifecycle changes and deletes set on existing rows, one row per
// tenant; a NULL leaves its column as it is.
const std::string kApplyChanges = "tenant_apply_changes";
const std::string kApplyChangesSql =
    "UPDATE tenants t SET name = coalesce(x.name, t.name),"
    " description = coalesce(x.description, t.description), status = coalesce(x.status, t.status),"
    " is_deleted = t.is_deleted OR x.deleted,"
    " deleted_at = CASE WHEN x.deleted THEN x.deleted_at ELSE t.deleted_at END,"
    " deletion_id = CASE WHEN x.deleted THEN x.deletion_id ELSE t.deletion_id END,"
    " version = x.version, updated_at = x.at, metadata = coalesce(x.metadata, t.metadata),"
    " configuration = coalesce(x.configuration, t.configuration)"
    " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[],"
    " $6::timestamptz[], $7::text[], $8::bigint[], $9::timestamptz[], $10::jsonb[],"
    " $11::jsonb[])"
    " AS x(id, name, description, status, deleted, deleted_at, deletion_id, version, at, metadata,"
    " configuration)"
    " WHERE t.id = x.id";

// Rewrites path and level of the moved tenant's whole subtree under the new parent's path.
// A subtree is a range of the path's text (migration 0003); <@ states the meaning.
const std::string kMove = "tenant_move";
const std::string kMoveSql =
    "WITH src AS (SELECT path AS old, path::text AS old_text FROM tenants WHERE id = $1::uuid),"
    " dst AS (SELECT coalesce((SELECT path FROM tenants WHERE id = $2::uuid), ''::ltree) AS base)"
    " UPDATE tenants t SET"
    " path = dst.base || subpath(t.path, nlevel(src.old) - 1),"
    " level = nlevel(dst.base) + nlevel(t.path) - nlevel(src.old) + 1,"
    " parent_id = CASE WHEN t.id = $1::uuid THEN $2::uuid ELSE t.parent_id END,"
    " version = CASE WHEN t.id = $1::uuid THEN $3::bigint ELSE t.version END,"
    " updated_at = CASE WHEN t.id = $1::uuid THEN $4::timestamptz ELSE t.updated_at END"
    " FROM src, dst WHERE t.path::text ~>=~ src.old_text AND t.path::text ~<~ (src.old_text || '/')"
    " AND t.path <@ src.old";

// The effective status of every row in the subtrees of $1: the worse of its parent's
// effective status and its own status (inactive before suspended before active), walked
// down from each root by parent_id. A root inherits its parent's stored value, which is
// current unless that parent lies in another root's subtree: then the walk from the
// higher root reaches the row too, and its result (the lowest root level) wins. Only rows
// whose value changes are written.
const std::string kEffectiveStatus = "tenant_effective_status";
const std::string kEffectiveStatusSql =
    "WITH RECURSIVE walk(id, tid, old, effective, root_level) AS ("
    " SELECT t.id, t.ctid, t.effective_status, CASE"
    " WHEN 'inactive' IN (p.effective_status, t.status) THEN 'inactive'"
    " WHEN 'suspended' IN (p.effective_status, t.status) THEN 'suspended' ELSE 'active' END,"
    " t.level FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id"
    " WHERE t.id = ANY($1::uuid[])"
    " UNION ALL"
    " SELECT c.id, c.ctid, c.effective_status, CASE"
    " WHEN 'inactive' IN (w.effective, c.status) THEN 'inactive'"
    " WHEN 'suspended' IN (w.effective, c.status) THEN 'suspended' ELSE 'active' END,"
    " w.root_level FROM walk w JOIN tenants c ON c.parent_id = w.id),"
    " best AS (SELECT DISTINCT ON (id) tid, old, effective FROM walk ORDER BY id, root_level)"
    " UPDATE tenants d SET effective_status = best.effective FROM best"
    " WHERE d.ctid = best.tid AND best.old IS DISTINCT FROM best.effective";

const std::string kStatuses = "tenant_statuses";
const std::string kStatusesSql = "SELECT id::text, status FROM tenants WHERE id = ANY($1::uuid[])";

const std::string kCurrentPath = "tenant_current_path";
const std::string kCurrentPathSql = "SELECT path::text FROM tenants WHERE id = $1::uuid";

// A row rebuilt from history, placed under its parent's current path.
const std::string kRestore = "tenant_restore";
const std::string kRestoreSql =
    "INSERT INTO tenants (id, slug, name, description, parent_id, level, path, status,"
    " effective_status, is_deleted, deleted_at, deletion_id, version, created_at, updated_at,"
    " metadata, configuration)"
    " SELECT $1::uuid, $2, $3, $4, $5::uuid, nlevel(np.path), np.path, $6, $6, $7,"
    " $8::timestamptz, $9, $10, $11::timestamptz, $12::timestamptz, $14::jsonb, $15::jsonb"
    " FROM (SELECT coalesce((SELECT path FROM tenants WHERE id = $5::uuid), ''::ltree)"
    " || $13::ltree AS path) np"
    " ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, name = EXCLUDED.name,"
    " description = EXCLUDED.description, parent_id = EXCLUDED.parent_id,"
    " level = EXCLUDED.level, path = EXCLUDED.path, status = EXCLUDED.status,"
    " is_deleted = EXCLUDED.is_deleted, deleted_at = EXCLUDED.deleted_at,"
    " deletion_id = EXCLUDED.deletion_id, version = EXCLUDED.version,"
    " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,"
    " metadata = EXCLUDED.metadata, configuration = EXCLUDED.configuration"
    " RETURNING path::text";

// A feature flag set or removed (migration 0015); its tenant's row takes the version.
const std::string kFlagSet = "tenant_feature_flag_set";
const std::string kFlagSetSql =
    "INSERT INTO tenant_feature_flags (tenant_id, key, value, description, created_at,"
    " updated_at) VALUES ($1::uuid, $2, $3::jsonb, $4, $5::timestamptz, $5::timestamptz)"
    " ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value,"
    " description = EXCLUDED.description, updated_at = EXCLUDED.updated_at";
const std::string kFlagRemove = "tenant_feature_flag_remove";
const std::string kFlagRemoveSql =
    "DELETE FROM tenant_feature_flags WHERE tenant_id = $1::uuid AND key = $2";

// Moves the descendants of a row whose path changed from $1 to $2.
const std::string kRebase = "tenant_rebase";
const std::string kRebaseSql =
    "UPDATE tenants SET path = $2::ltree || subpath(path, nlevel($1::ltree)),"
    " level = nlevel($2::ltree) + nlevel(path) - nlevel($1::ltree)"
    " WHERE path::text ~>=~ $1::ltree::text AND path::text ~<~ ($1::ltree::text || '/')"
    " AND path <@ $1::ltree AND path <> $1::ltree";

bool ends_with_label(const std::string& path, const std::string& label) {
  return path == label || (path.size() > label.size() && path.ends_with("." + label));
}

// Recomputes effective_status for the subtrees of `ids`.
void recompute_effective_status(pqxx::transaction_base& tx, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  tx.exec_prepared(kEffectiveStatus, array_literal(ids));
}

}  // namespace

void tenant_projection::prepare(pqxx::connection& conn) {
  conn.prepare(kInsertCreated, kInsertCreatedSql);
  conn.prepare(kApplyChanges, kApplyChangesSql);
  conn.prepare(kUpdate, kUpdateSql);
  conn.prepare(kMove, kMoveSql);
  conn.prepare(kEffectiveStatus, kEffectiveStatusSql);
  conn.prepare(kStatuses, kStatusesSql);
  conn.prepare(kCurrentPath, kCurrentPathSql);
  conn.prepare(kRestore, kRestoreSql);
  conn.prepare(kRebase, kRebaseSql);
  conn.prepare(kFlagSet, kFlagSetSql);
  conn.prepare(kFlagRemove, kFlagRemoveSql);
}

void tenant_projection::reset() {
  created_.clear();
  changes_.clear();
  change_at_.clear();
  status_changed_.clear();
  status_changed_set_.clear();
}

tenant_projection::pending_change& tenant_projection::change_of(const std::string& id,
                                                                const recorded_event& e) {
  auto [it, inserted] = change_at_.try_emplace(id, changes_.size());
  if (inserted) changes_.emplace_back(id, pending_change{});
  pending_change& c = changes_[it->second].second;
  c.version = e.meta.aggregate_version;
  c.updated_at = timestamp_param(e.meta.time);
  return c;
}

void tenant_projection::apply(pqxx::transaction_base& tx, const recorded_event& e) {
  // Every tenant event has its overload here; other resources' events are not this model's.
  visit_within<reads>(e.data, overloaded{
                                  [&](const tenant_created& c) {
                                    created_.push_back({c, e.meta.aggregate_version, e.meta.time});
                                  },
                                  [&](const tenant_updated& u) { apply_update(tx, e, u); },
                                  [&](const tenant_configured& c) {
                                    change_of(c.id.value, e).configuration = c.configuration.dump();
                                  },
                                  [&](const tenant_feature_flag_set& f) {
                                    change_of(f.id.value, e);
                                    tx.exec_prepared(kFlagSet, f.id.value, f.key, f.value.dump(),
                                                     f.description, timestamp_param(e.meta.time));
                                  },
                                  [&](const tenant_feature_flag_removed& f) {
                                    change_of(f.id.value, e);
                                    tx.exec_prepared(kFlagRemove, f.id.value, f.key);
                                  },
                                  [&](const tenant_moved& m) { apply_move(tx, e, m); },
                                  [&]<class Tag>(const tenant_lifecycle_event<Tag>& l) {
                                    change_of(l.id.value, e).status = status_after(e.data);
                                    if (status_changed_set_.insert(l.id.value).second)
                                      status_changed_.push_back(l.id.value);
                                  },
                                  [&](const tenant_deleted& d) {
                                    pending_change& c = change_of(d.id.value, e);
                                    c.deleted = true;
                                    c.deleted_at = timestamp_param(e.meta.time);
                                    c.deletion_id = d.deletion_id;
                                  },
                                  [&](const tenant_restored& r) { apply_restore(tx, e, r); },
                              });
}

void tenant_projection::flush(pqxx::transaction_base& tx) {
  flush_creations(tx);
  // A tenant suspended and resumed within the run ends where it started: its subtree's
  // effective status stays, so only the tenants whose status really changed are walked.
  std::vector<std::string> walk;
  if (!status_changed_.empty()) {
    std::unordered_map<std::string, std::string> before;
    for (const auto& row : tx.exec_prepared(kStatuses, array_literal(status_changed_)))
      before.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    for (const std::string& id : status_changed_) {
      const auto was = before.find(id);
      const std::optional<std::string>& now = changes_[change_at_.at(id)].second.status;
      if (was == before.end() || was->second != now) walk.push_back(id);
    }
    status_changed_.clear();
    status_changed_set_.clear();
  }
  flush_changes(tx);
  recompute_effective_status(tx, walk);
}

void tenant_projection::flush_creations(pqxx::transaction_base& tx) {
  if (created_.empty()) return;
  std::vector<std::pair<std::string, std::optional<std::string>>> links;
  links.reserve(created_.size());
  for (const auto& c : created_) links.emplace_back(c.data.id.value, id_or_null(c.data.parent));
  const std::vector<creation_placement> places = place_creations(links);

  using column = std::vector<std::optional<std::string>>;
  column id, slug, name, description, parent, anchor, rel, version, at, metadata;
  for (std::size_t i = 0; i < created_.size(); ++i) {
    const pending_creation& c = created_[i];
    id.push_back(c.data.id.value);
    slug.push_back(c.data.slug);
    name.push_back(c.data.name);
    description.push_back(c.data.description);
    parent.push_back(id_or_null(c.data.parent));
    anchor.push_back(places[i].anchor);
    rel.push_back(places[i].relative_path);
    version.push_back(std::to_string(c.version));
    at.push_back(timestamp_param(c.time));
    metadata.push_back(metadata_param(c.data.metadata));
  }
  tx.exec_prepared(kInsertCreated, array_literal(id), array_literal(slug), array_literal(name),
                   array_literal(description), array_literal(parent), array_literal(anchor),
                   array_literal(rel), array_literal(version), array_literal(at),
                   array_literal(metadata));
  created_.clear();
}

void tenant_projection::flush_changes(pqxx::transaction_base& tx) {
  if (changes_.empty()) return;
  using column = std::vector<std::optional<std::string>>;
  column id, name, description, status, deleted, deleted_at, deletion_id, version, at, metadata,
      configuration;
  for (const auto& [tenant, c] : changes_) {
    id.push_back(tenant);
    name.push_back(c.name);
    description.push_back(c.description);
    status.push_back(c.status);
    deleted.push_back(c.deleted ? "true" : "false");
    deleted_at.push_back(c.deleted ? std::optional(c.deleted_at) : std::nullopt);
    deletion_id.push_back(c.deleted ? std::optional(c.deletion_id) : std::nullopt);
    version.push_back(std::to_string(c.version));
    at.push_back(c.updated_at);
    metadata.push_back(c.metadata);
    configuration.push_back(c.configuration);
  }
  tx.exec_prepared(kApplyChanges, array_literal(id), array_literal(name),
                   array_literal(description), array_literal(status), array_literal(deleted),
                   array_literal(deleted_at), array_literal(deletion_id), array_literal(version),
                   array_literal(at), array_literal(metadata), array_literal(configuration));
  changes_.clear();
  change_at_.clear();
}

void tenant_projection::apply_update(pqxx::transaction_base& tx, const recorded_event& e,
                                     const tenant_updated& u) {
  if (!u.slug) {
    pending_change& c = change_of(u.id.value, e);
    if (u.name) c.name = u.name;
    if (u.description) c.description = u.description;
    if (u.metadata) c.metadata = metadata_param(*u.metadata);
    return;
  }
  flush(tx);
  tx.exec_prepared(kUpdate, u.id.value, u.name, u.description, u.slug, e.meta.aggregate_version,
                   timestamp_param(e.meta.time),
                   u.metadata ? std::optional(metadata_param(*u.metadata)) : std::nullopt);
}

void tenant_projection::apply_move(pqxx::transaction_base& tx, const recorded_event& e,
                                   const tenant_moved& m) {
  flush(tx);
  tx.exec_prepared(kMove, m.id.value, id_or_null(m.to_parent), e.meta.aggregate_version,
                   timestamp_param(e.meta.time));
  recompute_effective_status(tx, {m.id.value});
}

// Folds the tenant's archived history (which includes this event) into its row, then
// puts the row back under its parent and recomputes the subtree's effective status.
void tenant_projection::apply_restore(pqxx::transaction_base& tx, const recorded_event& e,
                                      const tenant_restored& r) {
  flush(tx);
  // A history it cannot read whole would restore a row that never was: the restore fails
  // its batch instead (the transaction rolls back and the projector retries, logging why).
  std::vector<recorded_event> history;
  for (const stored_event& s : archived_history(tx, r.id.value, e.offset)) {
    auto decoded = decode(s);
    if (!decoded)
      throw std::runtime_error("tenants: the restore of " + r.id.value + " at offset " +
                               std::to_string(e.offset) + " meets an undecodable event at offset " +
                               std::to_string(s.offset) + ": " + decoded.error().message);
    history.push_back(std::move(*decoded));
  }
  // The archive already holds this batch, so the history normally ends with this event;
  // should it not (an event without a subject), fold the restore in anyway.
  if (history.empty() || history.back().offset != e.offset) history.push_back(e);
  const std::optional<tenant_snapshot> row = fold_tenant(history);
  if (!row)
    throw std::runtime_error("tenants: the restore of " + r.id.value + " at offset " +
                             std::to_string(e.offset) +
                             " finds no tenant_created in the events archive");
  const std::string label = ltree_label(row->id);
  const pqxx::result old = tx.exec_prepared(kCurrentPath, row->id);
  const pqxx::row placed = tx.exec_prepared1(
      kRestore, row->id, row->slug, row->name, row->description, row->parent_id, row->status,
      row->is_deleted,
      row->deleted_at ? std::optional<std::string>(timestamp_param(*row->deleted_at))
                      : std::nullopt,
      row->deletion_id, row->version, timestamp_param(row->created_at),
      timestamp_param(row->updated_at), label, metadata_param(row->metadata),
      row->configuration.dump());
  const std::string new_path = placed[0].as<std::string>();
  if (!old.empty()) {
    const std::string old_path = old[0][0].as<std::string>();
    // Only a path that really named this tenant has descendants to carry along.
    if (old_path != new_path && ends_with_label(old_path, label))
      tx.exec_prepared(kRebase, old_path, new_path);
  }
  recompute_effective_status(tx, {row->id});
}

}  // namespace tenantry
