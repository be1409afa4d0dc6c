#include "commands/write_model.hpp"

#include <algorithm>
#include <cctype>

#include "commands/object_kinds.hpp"
#include "commands/slug.hpp"
#include "events/text_length.hpp"

namespace tenantry {
namespace {

using events = std::vector<event>;

constexpr std::size_t max_group_name = 200;
constexpr std::size_t max_group_description = 2000;

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The owner a group command acts in: a live, active tenant, or the platform (none).
result<std::optional<tenant_id>> usable_owner(const write_model& m,
                                              const std::optional<std::string>& tenant_ref) {
  if (!tenant_ref) return std::optional<tenant_id>();
  auto t = active_tenant(m.tenants, *tenant_ref);
  if (!t) return std::unexpected(t.error());
  return std::optional((*t)->id);
}

// The live group a command names (404 otherwise), in an active tenant, at the version.
result<const group_state*> usable_group(const write_model& m, const std::string& ref,
                                        std::optional<std::int64_t> expected_version) {
  const group_state* g = m.groups.resolve(ref);
  if (!g || !m.groups.is_live(*g, m.tenants)) return object_not_found("group", ref);
  if (g->tenant)
    if (auto active = require_active(m.tenants, *m.tenants.find(*g->tenant)); !active)
      return std::unexpected(active.error());
  if (expected_version && *expected_version != g->version)
    return fail(errc::version_conflict, "version_conflict", "The group's version is stale.",
                {{"current_version", g->version}});
  return g;
}

// A name's form: not blank, not too long.
result<void> check_name_form(const std::string& name) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return validation("name", "must not be empty");
  if (code_points(name) > max_group_name)
    return validation("name", "must be at most 200 characters");
  return {};
}

// A name: of the right form, not another live group's of the same owner.
result<void> check_name(const write_model& m, const std::optional<tenant_id>& owner,
                        const std::string& name, const group_state* self) {
  if (auto ok = check_name_form(name); !ok) return ok;
  for (const group_state* g : m.groups.groups_of_tenant(owner))
    if (g != self && same_name(g->name, name))
      return fail(errc::conflict, "group_name_taken",
                  "A group named '" + name + "' already exists there.", {{"name", name}});
  return {};
}

result<void> check_slug(const write_model& m, const std::string& slug, const group_state* self) {
  if (auto ok = check_slug_form(slug); !ok) return std::unexpected(ok.error());
  if (const group_state* owner = m.groups.resolve(slug); owner && owner != self)
    return fail(errc::conflict, "slug_taken", "The slug '" + slug + "' is taken.",
                {{"slug", slug}});
  return {};
}

std::string generated_slug(const write_model& m, const std::string& name) {
  const std::string base = slugify(name);
  if (!m.groups.slug_taken(base)) return base;
  for (int n = 2;; ++n)
    if (std::string s = numbered_slug(base, n); !m.groups.slug_taken(s)) return s;
}

result<events> decide_create(const write_model& m, const create_group& c,
                             const decide_context& ctx) {
  auto owner = usable_owner(m, c.tenant_ref);
  if (!owner) return std::unexpected(owner.error());
  if (auto ok = check_name(m, *owner, c.name, nullptr); !ok) return std::unexpected(ok.error());
  if (code_points(c.description) > max_group_description)
    return validation("description", "must be at most 2000 characters");
  if (c.slug)
    if (auto ok = check_slug(m, *c.slug, nullptr); !ok) return std::unexpected(ok.error());
  return events{group_created{group_id{ctx.new_id()}, *owner,
                              c.slug ? *c.slug : generated_slug(m, c.name), c.name, c.description}};
}

// What the command's fields say on their own, checked before the group's state: a
// malformed change is 400 whatever the version it names (never 412 first).
result<void> check_update_form(const update_group& c) {
  if (c.name)
    if (auto ok = check_name_form(*c.name); !ok) return ok;
  if (c.description && code_points(*c.description) > max_group_description)
    return validation("description", "must be at most 2000 characters");
  if (c.slug) return check_slug_form(*c.slug);
  return {};
}

result<events> decide_update(const write_model& m, const update_group& c) {
  if (auto ok = check_update_form(c); !ok) return std::unexpected(ok.error());
  auto found = usable_group(m, c.group_ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  const group_state& g = **found;
  group_updated e{g.id, {}, {}, {}};
  if (c.name && *c.name != g.name) {
    if (auto ok = check_name(m, g.tenant, *c.name, &g); !ok) return std::unexpected(ok.error());
    e.name = *c.name;
  }
  if (c.description && *c.description != g.description) e.description = *c.description;
  if (c.slug && *c.slug != g.slug) {
    if (auto ok = check_slug(m, *c.slug, &g); !ok) return std::unexpected(ok.error());
    e.slug = *c.slug;
  }
  if (!e.name && !e.description && !e.slug) return events{};
  return events{e};
}

// The group goes, and with it its role assignments and the grants to it and on it: the
// access it gave ends in the same transaction.
result<events> decide_delete(const write_model& m, const delete_group& c) {
  auto found = usable_group(m, c.group_ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  const group_state& g = **found;
  events out{group_deleted{g.id}};
  for (const assignment_state* a : m.access.assignments_of("group", g.id.value))
    out.push_back(role_assignment_revoked{a->id, "group_deleted"});
  for (const grant_state* grant : m.grants.grants_of("group", g.id.value))
    out.push_back(permission_revoked{grant->id, "group_deleted"});
  for (const grant_state* grant : m.grants.grants_on("group", g.id.value))
    if (grant->principal_type != "group" || grant->principal_id != g.id.value)
      out.push_back(permission_revoked{grant->id, "object_deleted"});
  return out;
}

template <class Command>
result<events> decide_membership(const write_model& m, const Command& c) {
  auto found = usable_group(m, c.group_ref, std::nullopt);
  if (!found) return std::unexpected(found.error());
  const group_state& g = **found;
  const user_state* u = m.users.resolve(c.user_ref);
  if (!u)
    return fail(errc::not_found, "not_found", "No user '" + c.user_ref + "' exists.",
                {{"resource", "user"}});
  if constexpr (std::is_same_v<Command, add_group_member>) {
    if (g.has_member(u->id))
      return fail(errc::conflict, "already_member",
                  "The user is already a member of group '" + g.slug + "'.");
    return events{group_member_added{g.id, u->id}};
  } else if constexpr (std::is_same_v<Command, remove_group_member>) {
    if (!g.has_member(u->id))
      return fail(errc::not_found, "not_found",
                  "'" + c.user_ref + "' is not a member of group '" + g.slug + "'.",
                  {{"resource", "group_member"}});
    return events{group_member_removed{g.id, u->id}};
  } else {
    static_assert(unhandled<Command>, "a group membership command without a decision");
  }
}

// Joining a group hands out what the group holds: its roles and its grants.
std::vector<handout> of_group(const write_model& m, const std::string& group_ref) {
  std::vector<handout> out;
  const group_state* g = m.groups.resolve(group_ref);
  if (!g) return out;
  auto path_of = [&](const std::string& tenant_ref) {
    const tenant_state* t = m.tenants.resolve(tenant_ref);
    return t ? m.tenants.path_ids(*t) : std::vector<std::string>{};
  };
  for (const assignment_state* a : m.access.assignments_of("group", g->id.value))
    out.push_back(
        handout{path_of(a->tenant.value), std::nullopt, m.access.role_permissions(a->role)});
  for (const grant_state* grant : m.grants.grants_of("group", g->id.value)) {
    auto b = grant_aggregate::binding_of(*grant, std::nullopt);
    std::optional<access_object> object;
    if (!b.object_type.empty()) object = access_object{b.object_type, b.object_id};
    out.push_back(handout{b.tenant_id.empty() ? std::vector<std::string>{} : path_of(b.tenant_id),
                          std::move(object),
                          {grant->permission}});
  }
  return out;
}

}  // namespace

result<std::vector<event>> decide(const write_model& model, const group_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, create_group>)
          return decide_create(model, c, ctx);
        else if constexpr (std::is_same_v<T, update_group>)
          return decide_update(model, c);
        else if constexpr (std::is_same_v<T, delete_group>)
          return decide_delete(model, c);
        else if constexpr (std::is_same_v<T, add_group_member> ||
                           std::is_same_v<T, remove_group_member>)
          return decide_membership(model, c);
        else
          static_assert(unhandled<T>, "a group command without a decision");
      },
      command);
}

caller_demands demands_of(const write_model& model, const group_command& command) {
  return std::visit(
      [&](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, add_group_member>)
          return {true, of_group(model, c.group_ref)};
        else if constexpr (std::is_same_v<T, create_group> || std::is_same_v<T, update_group> ||
                           std::is_same_v<T, delete_group> ||
                           std::is_same_v<T, remove_group_member>)
          return {};
        else
          static_assert(unhandled<T>, "a group command without its demands on the caller");
      },
      command);
}

}  // namespace tenantry
