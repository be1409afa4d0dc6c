#include "commands/groups/group_aggregate.hpp"

#include <algorithm>

namespace tenantry {

bool group_state::has_member(const user_id& user) const {
  return std::ranges::find(members, user) != members.end();
}

const group_state* group_aggregate::find(const group_id& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const group_state* group_aggregate::resolve(std::string_view ref) const {
  if (looks_like_uuid(ref)) return find(group_id{std::string(ref)});
  const auto it = by_slug_.find(std::string(ref));
  return it == by_slug_.end() ? nullptr : find(it->second);
}

std::vector<const group_state*> group_aggregate::groups_of_tenant(
    const std::optional<tenant_id>& tenant) const {
  std::vector<const group_state*> out;
  for (const auto& [_, g] : by_id_)
    if (!g.deleted && g.tenant == tenant) out.push_back(&g);
  return out;
}

std::vector<const group_state*> group_aggregate::groups_of_user(const user_id& user) const {
  std::vector<const group_state*> out;
  if (const auto it = by_user_.find(user); it != by_user_.end())
    for (const group_id& id : it->second)
      if (const group_state* g = find(id)) out.push_back(g);
  return out;
}

bool group_aggregate::is_live(const group_state& g, const tenant_aggregate& tenants) const {
  if (g.deleted) return false;
  if (!g.tenant) return true;
  const tenant_state* t = tenants.find(*g.tenant);
  return t && !t->deleted;
}

const group_state* group_aggregate::usable_group(const tenant_aggregate& tenants,
                                                 const std::vector<std::string>& path,
                                                 std::string_view ref) const {
  const group_state* g = resolve(ref);
  if (!g || !is_live(*g, tenants)) return nullptr;
  if (g->tenant && std::ranges::find(path, g->tenant->value) == path.end()) return nullptr;
  return g;
}

void group_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<group_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, group_created>) {
      by_id_[ev.id] = group_state{ev.id, ev.tenant, ev.slug, ev.name, ev.description,
                                  {},    false,     version, at,      at};
      by_slug_[ev.slug] = ev.id;
    } else if constexpr (std::is_same_v<T, group_updated> || std::is_same_v<T, group_deleted> ||
                         std::is_same_v<T, group_member_added> ||
                         std::is_same_v<T, group_member_removed>) {
      group_state& g = by_id_.at(ev.id);
      g.version = version;
      g.updated_at = at;
      if constexpr (std::is_same_v<T, group_updated>) {
        if (ev.name) g.name = *ev.name;
        if (ev.description) g.description = *ev.description;
        if (ev.slug && *ev.slug != g.slug) {
          by_slug_.erase(g.slug);
          g.slug = *ev.slug;
          by_slug_[g.slug] = g.id;
        }
      } else if constexpr (std::is_same_v<T, group_deleted>) {
        g.deleted = true;
      } else if constexpr (std::is_same_v<T, group_member_added>) {
        g.members.push_back(ev.user);
        by_user_[ev.user].push_back(g.id);
      } else if constexpr (std::is_same_v<T, group_member_removed>) {
        std::erase(g.members, ev.user);
        std::erase(by_user_[ev.user], g.id);
      } else {
        static_assert(unhandled<T>, "a change of a group the groups aggregate does not apply");
      }
    } else {
      static_assert(unhandled<T>, "a group event the groups aggregate does not apply");
    }
  });
}

std::int64_t group_aggregate::version_of(const event& e) const {
  return version_before<group_event>(*this, e);
}

std::string group_aggregate::partition_key_of(const event& e,
                                              const tenant_aggregate& tenants) const {
  return partition_key_of_owned<group_event>(*this, e, tenants);
}

}  // namespace tenantry
