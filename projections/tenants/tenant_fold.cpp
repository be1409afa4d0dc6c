#include "projections/tenants/tenant_fold.hpp"

#include <unordered_map>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {

std::optional<std::string> status_after(const event& e) {
  std::optional<std::string> status;
  visit_within<tenant_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, tenant_suspended>)
      status = "suspended";
    else if constexpr (std::is_same_v<T, tenant_resumed> || std::is_same_v<T, tenant_activated>)
      status = "active";
    else if constexpr (std::is_same_v<T, tenant_deactivated>)
      status = "inactive";
    else if constexpr (std::is_same_v<T, tenant_created> || std::is_same_v<T, tenant_updated> ||
                       std::is_same_v<T, tenant_configured> ||
                       std::is_same_v<T, tenant_feature_flag_set> ||
                       std::is_same_v<T, tenant_feature_flag_removed> ||
                       std::is_same_v<T, tenant_moved> || std::is_same_v<T, tenant_deleted> ||
                       std::is_same_v<T, tenant_restored>)
      return;  // not a lifecycle transition
    else
      static_assert(unhandled<T>, "a tenant event without its status");
  });
  return status;
}

void evolve(tenant_snapshot& s, const recorded_event& e) {
  if (!holds_one_of<tenant_event>(e.data)) return;  // another aggregate's event
  visit_within<tenant_event>(
      e.data,
      overloaded{
          [&](const tenant_created& c) {
            s = tenant_snapshot{};
            s.id = c.id.value;
            s.slug = c.slug;
            s.name = c.name;
            s.description = c.description;
            s.metadata = c.metadata;
            s.parent_id = id_or_null(c.parent);
            s.created_at = e.meta.time;
          },
          [&](const tenant_updated& u) {
            if (u.name) s.name = *u.name;
            if (u.description) s.description = *u.description;
            if (u.slug) s.slug = *u.slug;
            if (u.metadata) s.metadata = *u.metadata;
          },
          [&](const tenant_configured& c) { s.configuration = c.configuration; },
          // Flags live in their own table, which a delete leaves and a restore finds again.
          [&](const tenant_feature_flag_set&) {},
          [&](const tenant_feature_flag_removed&) {},
          [&](const tenant_moved& m) { s.parent_id = id_or_null(m.to_parent); },
          [&](const tenant_deleted& d) {
            s.is_deleted = true;
            s.deleted_at = e.meta.time;
            s.deletion_id = d.deletion_id;
          },
          [&](const tenant_restored&) {
            s.is_deleted = false;
            s.deleted_at.reset();
            s.deletion_id.reset();
          },
          [&]<class Tag>(const tenant_lifecycle_event<Tag>&) { s.status = *status_after(e.data); },
      });
  s.version = e.meta.aggregate_version;
  s.updated_at = e.meta.time;
}

std::optional<tenant_snapshot> fold_tenant(const std::vector<recorded_event>& history) {
  std::optional<tenant_snapshot> state;
  for (const recorded_event& e : history) {
    if (std::holds_alternative<tenant_created>(e.data)) state.emplace();
    if (state) evolve(*state, e);
  }
  return state;
}

std::vector<creation_placement> place_creations(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& id_and_parent) {
  std::vector<creation_placement> out;
  out.reserve(id_and_parent.size());
  std::unordered_map<std::string, std::size_t> in_run;  // id -> index in out
  for (const auto& [id, parent] : id_and_parent) {
    creation_placement p;
    const auto found = parent ? in_run.find(*parent) : in_run.end();
    if (found != in_run.end()) {
      const creation_placement& up = out[found->second];
      p.anchor = up.anchor;
      p.relative_path = up.relative_path + "." + ltree_label(id);
    } else {
      p.anchor = parent;
      p.relative_path = ltree_label(id);
    }
    in_run[id] = out.size();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace tenantry
