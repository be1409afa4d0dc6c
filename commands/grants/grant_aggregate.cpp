#include "commands/grants/grant_aggregate.hpp"

#include "commands/tenants/tenant_aggregate.hpp"

namespace tenantry {
namespace {

std::string principal_key(std::string_view type, std::string_view id) {
  return std::string(type) + ':' + std::string(id);
}

}  // namespace

const grant_state* grant_aggregate::find(const grant_id& id) const {
  const auto it = grants_.find(id);
  return it == grants_.end() ? nullptr : &it->second;
}

std::vector<const grant_state*> grant_aggregate::grants_of(std::string_view principal_type,
                                                           std::string_view principal_id) const {
  std::vector<const grant_state*> out;
  const auto it = by_principal_.find(principal_key(principal_type, principal_id));
  if (it == by_principal_.end()) return out;
  for (const grant_id& id : it->second)
    if (const grant_state* g = find(id); g && !g->revoked) out.push_back(g);
  return out;
}

std::vector<const grant_state*> grant_aggregate::grants_on(std::string_view object_type,
                                                           std::string_view object_id) const {
  std::vector<const grant_state*> out;
  for (const auto& [_, g] : grants_)
    if (!g.revoked && g.object_type == object_type && g.object_id == object_id) out.push_back(&g);
  return out;
}

const grant_state* grant_aggregate::same_grant(const permission_granted& w) const {
  for (const grant_state* g : grants_of(w.principal_type, w.principal_id))
    if (g->permission == w.permission && g->object_type == w.object_type &&
        g->object_id == w.object_id)
      return g;
  return nullptr;
}

access_binding grant_aggregate::binding_of(const grant_state& g, std::optional<std::string> group) {
  access_binding b{"grant",
                   g.id.value,
                   g.permission,
                   g.permission,
                   g.tenant ? g.tenant->value : std::string(),
                   std::move(group),
                   std::nullopt,
                   {g.permission}};
  if (g.object_type != "tenant") {
    b.object_type = g.object_type;
    b.object_id = g.object_id;
  }
  return b;
}

void grant_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<grant_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, permission_granted>) {
      grants_[ev.id] = grant_state{ev.id,
                                   ev.principal_type,
                                   ev.principal_id,
                                   ev.permission,
                                   ev.object_type,
                                   ev.object_id,
                                   ev.tenant,
                                   false,
                                   version,
                                   at,
                                   at};
      by_principal_[principal_key(ev.principal_type, ev.principal_id)].push_back(ev.id);
    } else if constexpr (std::is_same_v<T, permission_revoked>) {
      grant_state& g = grants_.at(ev.id);
      g.revoked = true;
      g.version = version;
      g.updated_at = at;
    } else {
      static_assert(unhandled<T>, "a grant event the grants aggregate does not apply");
    }
  });
}

std::int64_t grant_aggregate::version_of(const event& e) const {
  return version_before<grant_event>(*this, e);
}

std::string grant_aggregate::partition_key_of(const event& e,
                                              const tenant_aggregate& tenants) const {
  return partition_key_of_owned<grant_event>(*this, e, tenants);
}

}  // namespace tenantry
