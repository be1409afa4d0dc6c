#include "commands/access/access_aggregate.hpp"

#include <algorithm>
#include "events/text_length.hpp"

namespace tenantry {

// ---- state ----------------------------------------------------------------------------

const role_state* access_aggregate::find_role(const role_id& id) const {
  const auto it = roles_.find(id);
  return it == roles_.end() ? nullptr : &it->second;
}

const assignment_state* access_aggregate::find_assignment(const assignment_id& id) const {
  const auto it = assignments_.find(id);
  return it == assignments_.end() ? nullptr : &it->second;
}

const membership_state* access_aggregate::find_membership(const membership_id& id) const {
  const auto it = memberships_.find(id);
  return it == memberships_.end() ? nullptr : &it->second;
}

const membership_state* access_aggregate::membership(const tenant_id& tenant,
                                                     const user_id& user) const {
  const auto it = memberships_by_user_.find(user);
  if (it == memberships_by_user_.end()) return nullptr;
  for (const membership_id& id : it->second) {
    const membership_state* m = find_membership(id);
    if (m && !m->removed && m->tenant == tenant) return m;
  }
  return nullptr;
}

std::vector<const role_state*> access_aggregate::roles_of(const tenant_id& tenant) const {
  std::vector<const role_state*> out;
  for (const auto& [_, r] : roles_)
    if (!r.deleted && r.tenant == tenant) out.push_back(&r);
  return out;
}

std::size_t access_aggregate::member_count(const tenant_id& tenant,
                                           const user_aggregate& users) const {
  const auto it = memberships_by_tenant_.find(tenant);
  if (it == memberships_by_tenant_.end()) return 0;
  return static_cast<std::size_t>(std::ranges::count_if(it->second, [&](const membership_id& id) {
    const membership_state* m = find_membership(id);
    const user_state* u = m ? users.find(m->user) : nullptr;
    return m && !m->removed && u && !u->deleted;
  }));
}

std::optional<std::string> access_aggregate::usable_role(const tenant_aggregate& tenants,
                                                         const tenant_state& t,
                                                         std::string_view ref) const {
  if (is_builtin_tenant_role(ref)) return std::string(ref);
  const std::vector<std::string> path = tenants.path_ids(t);
  auto usable = [&](const role_state& r) {
    return !r.deleted && std::ranges::find(path, r.tenant.value) != path.end();
  };
  if (const role_state* r = find_role(role_id{std::string(ref)}); r && usable(*r))
    return r->id.value;
  // By name: the nearest definition wins (the tenant's own before its ancestors').
  const role_state* best = nullptr;
  std::ptrdiff_t best_depth = -1;
  for (const auto& [id, r] : roles_) {
    if (r.name != ref || !usable(r)) continue;
    const auto depth = std::ranges::find(path, r.tenant.value) - path.begin();
    if (depth > best_depth) best = &r, best_depth = depth;
  }
  if (best) return best->id.value;
  return std::nullopt;
}

std::vector<std::string> access_aggregate::role_permissions(std::string_view role) const {
  if (is_builtin_tenant_role(role)) return builtin_role_permissions(role);
  const role_state* r = find_role(role_id{std::string(role)});
  return r && !r->deleted ? r->permissions : std::vector<std::string>{};
}

std::string access_aggregate::role_name(std::string_view role) const {
  if (is_builtin_tenant_role(role)) return std::string(role);
  const role_state* r = find_role(role_id{std::string(role)});
  return r ? r->name : std::string(role);
}

bool access_aggregate::role_in_use(const role_id& id, timestamp now) const {
  for (const auto& [_, a] : assignments_)
    if (!a.revoked && a.role == id.value && (!a.expires_at || *a.expires_at > now)) return true;
  for (const auto& [_, m] : memberships_)
    if (!m.removed && std::ranges::find(m.roles, id.value) != m.roles.end()) return true;
  return false;
}

std::vector<const assignment_state*> access_aggregate::assignments_of(
    std::string_view principal_type, std::string_view principal_id) const {
  std::vector<const assignment_state*> out;
  const auto it =
      assignments_by_principal_.find(std::string(principal_type) + ":" + std::string(principal_id));
  if (it == assignments_by_principal_.end()) return out;
  for (const assignment_id& id : it->second)
    if (const assignment_state* a = find_assignment(id); a && !a->revoked) out.push_back(a);
  return out;
}

std::vector<access_binding> access_aggregate::bindings_of(
    const user_id& user, const std::vector<std::string>& groups) const {
  std::vector<access_binding> out;
  if (const auto it = memberships_by_user_.find(user); it != memberships_by_user_.end()) {
    for (const membership_id& id : it->second) {
      const membership_state* m = find_membership(id);
      if (!m || m->removed) continue;
      for (const std::string& role : m->roles)
        out.push_back(access_binding{"membership", m->id.value, role, role_name(role),
                                     m->tenant.value, std::nullopt, std::nullopt,
                                     role_permissions(role)});
    }
  }
  if (const auto it = assignments_by_principal_.find("user:" + user.value);
      it != assignments_by_principal_.end()) {
    for (const assignment_id& id : it->second) {
      const assignment_state* a = find_assignment(id);
      if (!a || a->revoked) continue;
      out.push_back(access_binding{"assignment", a->id.value, a->role, role_name(a->role),
                                   a->tenant.value, std::nullopt, a->expires_at,
                                   role_permissions(a->role)});
    }
  }
  for (const std::string& group : groups)
    for (const assignment_state* a : assignments_of("group", group))
      out.push_back(access_binding{"assignment", a->id.value, a->role, role_name(a->role),
                                   a->tenant.value, group, a->expires_at,
                                   role_permissions(a->role)});
  return out;
}

std::optional<tenant_id> access_aggregate::tenant_of(const event& e) const {
  return visit_as<access_event>(e, [&](const auto& ev) -> std::optional<tenant_id> {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, role_defined> || std::is_same_v<T, role_assigned> ||
                  std::is_same_v<T, member_added>) {
      return ev.tenant;
    } else if constexpr (std::is_same_v<T, role_changed> || std::is_same_v<T, role_deleted>) {
      const role_state* r = find_role(ev.id);
      return r ? std::optional(r->tenant) : std::nullopt;
    } else if constexpr (std::is_same_v<T, role_assignment_revoked>) {
      const assignment_state* a = find_assignment(ev.id);
      return a ? std::optional(a->tenant) : std::nullopt;
    } else if constexpr (std::is_same_v<T, member_changed> || std::is_same_v<T, member_removed>) {
      const membership_state* m = find_membership(ev.id);
      return m ? std::optional(m->tenant) : std::nullopt;
    } else {
      static_assert(unhandled<T>, "an access event without its tenant");
    }
  });
}

std::string access_aggregate::partition_key_of(const event& e,
                                               const tenant_aggregate& tenants) const {
  return partition_key_under(tenants, tenant_of(e), aggregate_id(e));
}

std::int64_t access_aggregate::version_of(const event& e) const {
  return visit_as<access_event>(e, [&](const auto& ev) -> std::int64_t {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, role_defined> || std::is_same_v<T, role_changed> ||
                  std::is_same_v<T, role_deleted>) {
      const role_state* r = find_role(ev.id);
      return r ? r->version : 0;
    } else if constexpr (std::is_same_v<T, role_assigned> ||
                         std::is_same_v<T, role_assignment_revoked>) {
      const assignment_state* a = find_assignment(ev.id);
      return a ? a->version : 0;
    } else if constexpr (std::is_same_v<T, member_added> || std::is_same_v<T, member_changed> ||
                         std::is_same_v<T, member_removed>) {
      const membership_state* m = find_membership(ev.id);
      return m ? m->version : 0;
    } else {
      static_assert(unhandled<T>, "an access event without its aggregate's version");
    }
  });
}

void access_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<access_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, role_defined>) {
      roles_[ev.id] = role_state{ev.id,   ev.tenant, ev.name, ev.description, ev.permissions, false,
                                 version, at,        at};
    } else if constexpr (std::is_same_v<T, role_changed>) {
      role_state& r = roles_.at(ev.id);
      r.name = ev.name;
      r.description = ev.description;
      r.permissions = ev.permissions;
      r.version = version;
      r.updated_at = at;
    } else if constexpr (std::is_same_v<T, role_deleted>) {
      role_state& r = roles_.at(ev.id);
      r.deleted = true;
      r.version = version;
      r.updated_at = at;
    } else if constexpr (std::is_same_v<T, role_assigned>) {
      assignments_[ev.id] = assignment_state{ev.id,
                                             ev.tenant,
                                             ev.principal_type,
                                             ev.principal_id,
                                             ev.role,
                                             ev.expires_at,
                                             false,
                                             version,
                                             at,
                                             at};
      assignments_by_principal_[ev.principal_type + ":" + ev.principal_id].push_back(ev.id);
    } else if constexpr (std::is_same_v<T, role_assignment_revoked>) {
      assignment_state& a = assignments_.at(ev.id);
      a.revoked = true;
      a.version = version;
      a.updated_at = at;
    } else if constexpr (std::is_same_v<T, member_added>) {
      memberships_[ev.id] =
          membership_state{ev.id, ev.tenant, ev.user, ev.roles, false, version, at, at};
      memberships_by_user_[ev.user].push_back(ev.id);
      memberships_by_tenant_[ev.tenant].push_back(ev.id);
    } else if constexpr (std::is_same_v<T, member_changed>) {
      membership_state& m = memberships_.at(ev.id);
      m.roles = ev.roles;
      m.version = version;
      m.updated_at = at;
    } else if constexpr (std::is_same_v<T, member_removed>) {
      membership_state& m = memberships_.at(ev.id);
      m.removed = true;
      m.version = version;
      m.updated_at = at;
    } else {
      static_assert(unhandled<T>, "an access event the access aggregate does not apply");
    }
  });
}

// ---- decide ---------------------------------------------------------------------------

result<std::vector<std::string>> usable_roles(const access_aggregate& dir,
                                              const tenant_aggregate& tenants,
                                              const tenant_state& t,
                                              const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& ref : given) {
    auto role = dir.usable_role(tenants, t, ref);
    if (!role) return validation("roles", "no role '" + ref + "' can be held on this tenant");
    if (std::ranges::find(out, *role) == out.end()) out.push_back(*role);
  }
  return out;
}

result<std::vector<std::string>> checked_permissions(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& p : given) {
    if (!is_tenant_permission(p))
      return validation("permissions", "unknown permission '" + p + "'");
    out.push_back(p);
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

using events = std::vector<event>;

constexpr std::size_t max_role_name = 100;
constexpr std::size_t max_role_description = 1000;

// details.resource tells which object is missing: user, role, role_assignment, member.
auto not_found(std::string resource, std::string what) {
  return fail(errc::not_found, "not_found", "No " + what + " exists.",
              {{"resource", std::move(resource)}});
}

// A role name: not blank, not a built-in role's, not another live role's of the tenant.
result<void> check_role_name(const access_aggregate& dir, const tenant_state& t,
                             const std::string& name, const role_state* self) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return validation("name", "must not be empty");
  if (code_points(name) > max_role_name)
    return validation("name", "must be at most 100 characters");
  if (is_builtin_tenant_role(name))
    return fail(errc::conflict, "role_name_taken", "'" + name + "' is a built-in role.");
  for (const role_state* r : dir.roles_of(t.id))
    if (r != self && r->name == name)
      return fail(errc::conflict, "role_name_taken",
                  "Tenant '" + t.slug + "' already has a role named '" + name + "'.");
  return {};
}

// The custom role a command names on this tenant (defined there, live).
result<const role_state*> own_role(const access_aggregate& dir, const tenant_state& t,
                                   const std::string& ref) {
  const role_state* r = dir.find_role(role_id{ref});
  if (!r || r->deleted || r->tenant != t.id)
    return not_found("role", "role '" + ref + "' on this tenant");
  return r;
}

}  // namespace

result<std::vector<event>> decide(const access_aggregate& dir, const tenant_aggregate& tenants,
                                  const user_aggregate& users, const group_aggregate& groups,
                                  const access_command& command, const decide_context& ctx) {
  // Every access command acts inside one live, active tenant.
  const std::string& tenant_ref =
      std::visit([](const auto& c) -> const std::string& { return c.tenant_ref; }, command);
  auto found = active_tenant(tenants, tenant_ref);
  if (!found) return std::unexpected(found.error());
  const tenant_state& t = **found;

  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, define_role> || std::is_same_v<T, change_role>) {
          const role_state* self = nullptr;
          if constexpr (std::is_same_v<T, change_role>) {
            auto r = own_role(dir, t, c.role);
            if (!r) return std::unexpected(r.error());
            self = *r;
            if (c.expected_version && *c.expected_version != self->version)
              return fail(errc::version_conflict, "version_conflict",
                          "The role's version is stale.", {{"current_version", self->version}});
          }
          if (code_points(c.description) > max_role_description)
            return validation("description", "must be at most 1000 characters");
          auto permissions = checked_permissions(c.permissions);
          if (!permissions) return std::unexpected(permissions.error());
          if (auto ok = check_role_name(dir, t, c.name, self); !ok)
            return std::unexpected(ok.error());
          if constexpr (std::is_same_v<T, define_role>)
            return events{role_defined{role_id{ctx.new_id()}, t.id, c.name, c.description,
                                       std::move(*permissions)}};
          else if constexpr (std::is_same_v<T, change_role>)
            return events{role_changed{self->id, c.name, c.description, std::move(*permissions)}};
          else
            static_assert(unhandled<T>, "a role command without a decision");
        } else if constexpr (std::is_same_v<T, delete_role>) {
          auto r = own_role(dir, t, c.role);
          if (!r) return std::unexpected(r.error());
          if (dir.role_in_use((*r)->id, ctx.now))
            return fail(errc::conflict, "role_in_use",
                        "Role '" + (*r)->name + "' is held by members or role assignments.");
          return events{role_deleted{(*r)->id}};
        } else if constexpr (std::is_same_v<T, assign_role>) {
          if (c.principal_type != "user" && c.principal_type != "group")
            return validation("principal.type", "must be user or group");
          std::string principal;
          if (c.principal_type == "user") {
            const user_state* u = users.resolve(c.principal_ref);
            if (!u) return not_found("user", "user '" + c.principal_ref + "'");
            principal = u->id.value;
          } else {
            // A platform group, or one owned by this tenant or an ancestor.
            const group_state* g =
                groups.usable_group(tenants, tenants.path_ids(t), c.principal_ref);
            if (!g) return not_found("group", "group '" + c.principal_ref + "' usable here");
            principal = g->id.value;
          }
          auto role = dir.usable_role(tenants, t, c.role);
          if (!role)
            return validation("role", "no role '" + c.role + "' can be held on this tenant");
          if (c.expires_at && *c.expires_at <= ctx.now)
            return validation("expires_at", "must be in the future");
          return events{role_assigned{assignment_id{ctx.new_id()}, t.id, c.principal_type,
                                      principal, *role, c.expires_at}};
        } else if constexpr (std::is_same_v<T, revoke_role_assignment>) {
          const assignment_state* a = dir.find_assignment(assignment_id{c.assignment});
          if (!a || a->tenant != t.id)
            return not_found("role_assignment",
                             "role assignment '" + c.assignment + "' on this tenant");
          if (a->revoked)
            return fail(errc::conflict, "invalid_state_transition",
                        "The role assignment is already revoked.");
          return events{role_assignment_revoked{a->id, "revoked"}};
        } else if constexpr (std::is_same_v<T, add_member> || std::is_same_v<T, change_member> ||
                             std::is_same_v<T, remove_member>) {
          const user_state* u = users.resolve(c.user_ref);
          if (!u) return not_found("user", "user '" + c.user_ref + "'");
          const membership_state* m = dir.membership(t.id, u->id);
          if constexpr (std::is_same_v<T, add_member>) {
            if (m)
              return fail(errc::conflict, "already_member",
                          "The user is already a member of '" + t.slug + "'.");
            auto roles = usable_roles(
                dir, tenants, t, c.roles.empty() ? std::vector<std::string>{"member"} : c.roles);
            if (!roles) return std::unexpected(roles.error());
            return events{
                member_added{membership_id{ctx.new_id()}, t.id, u->id, std::move(*roles)}};
          } else if constexpr (std::is_same_v<T, change_member> ||
                               std::is_same_v<T, remove_member>) {
            if (!m) return not_found("member", "member '" + c.user_ref + "' of '" + t.slug + "'");
            if constexpr (std::is_same_v<T, change_member>) {
              if (c.expected_version && *c.expected_version != m->version)
                return fail(errc::version_conflict, "version_conflict",
                            "The membership's version is stale.",
                            {{"current_version", m->version}});
              auto roles = usable_roles(dir, tenants, t, c.roles);
              if (!roles) return std::unexpected(roles.error());
              if (*roles == m->roles) return events{};
              return events{member_changed{m->id, std::move(*roles)}};
            } else if constexpr (std::is_same_v<T, remove_member>) {
              return events{member_removed{m->id}};
            } else {
              static_assert(unhandled<T>, "a membership change without a decision");
            }
          } else {
            static_assert(unhandled<T>, "a membership command without a decision");
          }
        } else {
          static_assert(unhandled<T>, "an access command without a decision");
        }
      },
      command);
}

}  // namespace tenantry
