#include "projections/tenants/tenant_fold.hpp"

#include <unordered_map>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::optional<std::string> id_text(const std::optional<tenant_id>& id) {
  if (!id) return std::nullopt;
  return id->value;
}

}  // namespace

std::optional<std::string> status_after(const event& e) {
  return std::visit(
      overloaded{
          [](const tenant_suspended&) -> std::optional<std::string> { return "suspended"; },
          [](const tenant_resumed&) -> std::optional<std::string> { return "active"; },
          [](const tenant_activated&) -> std::optional<std::string> { return "active"; },
          [](const tenant_deactivated&) -> std::optional<std::string> { return "inactive"; },
          [](const auto&) -> std::optional<std::string> { return std::nullopt; },
      },
      e);
}

void evolve(tenant_snapshot& s, const recorded_event& e) {
  bool mine = true;
  std::visit(
      overloaded{
          [&](const tenant_created& c) {
            s = tenant_snapshot{};
            s.id = c.id.value;
            s.slug = c.slug;
            s.name = c.name;
            s.description = c.description;
            s.parent_id = id_text(c.parent);
            s.created_at = e.meta.time;
          },
          [&](const tenant_updated& u) {
            if (u.name) s.name = *u.name;
            if (u.description) s.description = *u.description;
            if (u.slug) s.slug = *u.slug;
          },
          [&](const tenant_moved& m) { s.parent_id = id_text(m.to_parent); },
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
          [&](const auto&) { mine = false; },
      },
      e.data);
  if (!mine) return;
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
