#include "commands/tenants/tenant_aggregate.hpp"

#include <algorithm>

#include "commands/metadata_rules.hpp"
#include "commands/slug.hpp"
#include "commands/tenants/tenant_configuration.hpp"
#include "commands/tenants/tenant_feature_flags.hpp"
#include "events/text_length.hpp"

namespace tenantry {

std::string_view to_string(tenant_status s) {
  switch (s) {
    case tenant_status::active:
      return "active";
    case tenant_status::suspended:
      return "suspended";
    case tenant_status::inactive:
      return "inactive";
  }
  return "active";
}

// ---- the state -----------------------------------------------------------------------

const tenant_state* tenant_aggregate::find(const tenant_id& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const tenant_state* tenant_aggregate::resolve(std::string_view ref) const {
  if (looks_like_uuid(ref)) return find(tenant_id{std::string(ref)});
  const auto it = by_slug_.find(std::string(ref));
  return it == by_slug_.end() ? nullptr : find(it->second);
}

int tenant_aggregate::level(const tenant_state& t) const {
  int n = 1;
  for (const tenant_state* p = &t; p->parent; p = find(*p->parent)) ++n;
  return n;
}

tenant_status tenant_aggregate::effective_status(const tenant_state& t) const {
  tenant_status worst = tenant_status::active;
  for (const tenant_state* p = &t; p; p = p->parent ? find(*p->parent) : nullptr) {
    if (p->status == tenant_status::inactive) return tenant_status::inactive;
    if (p->status == tenant_status::suspended) worst = tenant_status::suspended;
  }
  return worst;
}

tenant_id tenant_aggregate::root_of(const tenant_state& t) const {
  const tenant_state* p = &t;
  while (p->parent) p = find(*p->parent);
  return p->id;
}

std::vector<std::string> tenant_aggregate::path_ids(const tenant_state& t) const {
  std::vector<std::string> out;
  for (const tenant_state* p = &t; p; p = p->parent ? find(*p->parent) : nullptr)
    out.push_back(p->id.value);
  std::ranges::reverse(out);
  return out;
}

bool tenant_aggregate::is_ancestor_or_self(const tenant_state& ancestor,
                                           const tenant_state& t) const {
  for (const tenant_state* p = &t; p; p = p->parent ? find(*p->parent) : nullptr)
    if (p->id == ancestor.id) return true;
  return false;
}

int tenant_aggregate::height(const tenant_state& t) const {
  int h = 0;
  for (const auto& c : t.children) {
    const tenant_state* child = find(c);
    if (child && !child->deleted) h = std::max(h, 1 + height(*child));
  }
  return h;
}

std::vector<const tenant_state*> tenant_aggregate::live_subtree(const tenant_state& t) const {
  std::vector<const tenant_state*> out{&t};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const auto& c : out[i]->children)
      if (const tenant_state* child = find(c); child && !child->deleted) out.push_back(child);
  return out;
}

tenant_state& tenant_aggregate::at(const tenant_id& id) {
  return by_id_.at(id);
}

void tenant_aggregate::evolve(const event& e, std::int64_t version, timestamp time) {
  auto touch = [&](tenant_state& t) {
    t.version = version;
    t.updated_at = time;
    return &t;
  };
  auto detach = [&](tenant_state& t) {
    if (!t.parent) return;
    auto& siblings = at(*t.parent).children;
    std::erase(siblings, t.id);
  };
  visit_as<tenant_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, tenant_created>) {
      tenant_state t;
      t.id = ev.id;
      t.slug = ev.slug;
      t.name = ev.name;
      t.description = ev.description;
      t.metadata = ev.metadata;
      t.parent = ev.parent;
      t.created_at = time;
      touch(t);
      if (t.parent) at(*t.parent).children.push_back(t.id);
      by_slug_[t.slug] = t.id;
      by_id_.emplace(t.id, std::move(t));
    } else if constexpr (std::is_same_v<T, tenant_updated>) {
      tenant_state& t = *touch(at(ev.id));
      if (ev.name) t.name = *ev.name;
      if (ev.description) t.description = *ev.description;
      if (ev.metadata) t.metadata = *ev.metadata;
      if (ev.slug && *ev.slug != t.slug) {
        by_slug_.erase(t.slug);
        t.slug = *ev.slug;
        by_slug_[t.slug] = t.id;
      }
    } else if constexpr (std::is_same_v<T, tenant_configured>) {
      touch(at(ev.id))->configuration = ev.configuration;
    } else if constexpr (std::is_same_v<T, tenant_feature_flag_set>) {
      tenant_state& t = *touch(at(ev.id));
      auto [flag, created] = t.feature_flags.try_emplace(ev.key);
      if (created) {
        flag->second.created_version = version;
        flag->second.created_at = time;
      }
      flag->second.value = ev.value;
      flag->second.description = ev.description;
      flag->second.updated_at = time;
    } else if constexpr (std::is_same_v<T, tenant_feature_flag_removed>) {
      touch(at(ev.id))->feature_flags.erase(ev.key);
    } else if constexpr (std::is_same_v<T, tenant_moved>) {
      tenant_state& t = *touch(at(ev.id));
      detach(t);
      t.parent = ev.to_parent;
      if (t.parent) at(*t.parent).children.push_back(t.id);
    } else if constexpr (std::is_same_v<T, tenant_suspended>) {
      touch(at(ev.id))->status = tenant_status::suspended;
    } else if constexpr (std::is_same_v<T, tenant_resumed> || std::is_same_v<T, tenant_activated>) {
      touch(at(ev.id))->status = tenant_status::active;
    } else if constexpr (std::is_same_v<T, tenant_deactivated>) {
      touch(at(ev.id))->status = tenant_status::inactive;
    } else if constexpr (std::is_same_v<T, tenant_deleted>) {
      tenant_state& t = *touch(at(ev.id));
      t.deleted = true;
      t.deletion_id = ev.deletion_id;
    } else if constexpr (std::is_same_v<T, tenant_restored>) {
      tenant_state& t = *touch(at(ev.id));
      t.deleted = false;
      t.deletion_id.clear();
    } else {
      static_assert(unhandled<T>, "a tenant event the tenants aggregate does not apply");
    }
  });
}

std::int64_t tenant_aggregate::version_of(const event& e) const {
  return version_before<tenant_event>(*this, e);
}

std::string tenant_aggregate::partition_key_of(const event& e, const tenant_aggregate&) const {
  return visit_as<tenant_event>(
      e, [&](const auto& ev) { return partition_key_under(*this, ev.id, ev.id.value); });
}

std::string partition_key_under(const tenant_aggregate& tenants,
                                const std::optional<tenant_id>& tenant,
                                const std::string& fallback) {
  const tenant_state* t = tenant ? tenants.find(*tenant) : nullptr;
  return t ? tenants.root_of(*t).value : fallback;
}

// ---- decide ---------------------------------------------------------------------------

namespace {

constexpr std::size_t max_name_length = 200;
constexpr std::size_t max_description_length = 2000;

}  // namespace

std::unexpected<error> tenant_not_found(std::string_view ref) {
  return fail(errc::not_found, "not_found", "No tenant '" + std::string(ref) + "' exists.",
              {{"resource", "tenant"}, {"ref", std::string(ref)}});
}

result<const tenant_state*> live_tenant(const tenant_aggregate& dir, std::string_view ref,
                                        std::optional<std::int64_t> expected_version) {
  const tenant_state* t = dir.resolve(ref);
  if (!t || t->deleted) return tenant_not_found(ref);
  if (expected_version && *expected_version != t->version)
    return fail(errc::version_conflict, "version_conflict",
                "The tenant is at version " + std::to_string(t->version) + ", not " +
                    std::to_string(*expected_version) + ".",
                {{"current_version", t->version}});
  return t;
}

result<void> require_active(const tenant_aggregate& dir, const tenant_state& t) {
  if (dir.effective_status(t) != tenant_status::active)
    return fail(errc::conflict, "tenant_not_active",
                "Tenant '" + t.slug + "' is " + std::string(to_string(dir.effective_status(t))) +
                    "; only active tenants accept this change.");
  return {};
}

result<const tenant_state*> active_tenant(const tenant_aggregate& dir, std::string_view ref) {
  auto t = live_tenant(dir, ref, std::nullopt);
  if (!t) return t;
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  return t;
}

namespace {

// The parent a create or move names: live and active, or a clear error.
result<const tenant_state*> usable_parent(const tenant_aggregate& dir, std::string_view ref) {
  const tenant_state* p = dir.resolve(ref);
  if (!p || p->deleted) return validation("parent", "no tenant '" + std::string(ref) + "' exists");
  if (dir.effective_status(*p) != tenant_status::active)
    return fail(errc::conflict, "parent_not_active",
                "The parent tenant '" + p->slug + "' is not active.");
  return p;
}

result<std::string> check_name(const std::string& name) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return validation("name", "must not be empty");
  if (code_points(name) > max_name_length)
    return validation("name", "must be at most " + std::to_string(max_name_length) + " characters");
  const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7f; };
  if (std::ranges::any_of(name, control))
    return validation("name", "must not contain control characters");
  return name;
}

result<std::string> check_explicit_slug(const tenant_aggregate& dir, const std::string& slug,
                                        const tenant_state* self) {
  if (auto ok = check_slug_form(slug); !ok) return std::unexpected(ok.error());
  if (const tenant_state* owner = dir.resolve(slug); owner && owner != self)
    return fail(errc::conflict, "slug_taken", "The slug '" + slug + "' is taken.",
                {{"slug", slug}});
  return slug;
}

std::string generated_slug(const tenant_aggregate& dir, const std::string& name) {
  const std::string base = slugify(name);
  if (!dir.slug_taken(base)) return base;
  for (int n = 2;; ++n)
    if (std::string s = numbered_slug(base, n); !dir.slug_taken(s)) return s;
}

result<void> check_depth(const tenant_aggregate& dir, const tenant_state* parent, int height,
                         const decide_context& ctx) {
  const int deepest = (parent ? dir.level(*parent) : 0) + 1 + height;
  if (deepest > ctx.max_depth)
    return fail(errc::conflict, "hierarchy_too_deep",
                "The hierarchy would be " + std::to_string(deepest) +
                    " levels deep; the maximum is " + std::to_string(ctx.max_depth) + ".",
                {{"max_depth", ctx.max_depth}});
  return {};
}

using events = std::vector<event>;

result<events> decide_create(const tenant_aggregate& dir, const create_tenant& c,
                             const decide_context& ctx) {
  auto name = check_name(c.name);
  if (!name) return std::unexpected(name.error());
  if (code_points(c.description) > max_description_length)
    return validation("description", "must be at most 2000 characters");
  if (auto ok = check_metadata(c.metadata, tenant_metadata_limits); !ok)
    return std::unexpected(ok.error());
  const tenant_state* parent = nullptr;
  if (c.parent) {
    auto p = usable_parent(dir, *c.parent);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  if (auto depth = check_depth(dir, parent, 0, ctx); !depth) return std::unexpected(depth.error());
  std::string slug;
  if (c.slug) {
    auto s = check_explicit_slug(dir, *c.slug, nullptr);
    if (!s) return std::unexpected(s.error());
    slug = *s;
  } else {
    slug = generated_slug(dir, c.name);
  }
  return events{tenant_created{tenant_id{ctx.new_id()}, slug, c.name, c.description,
                               parent ? std::optional(parent->id) : std::nullopt, c.metadata}};
}

result<events> decide_update(const tenant_aggregate& dir, const update_tenant& c,
                             const decide_context&) {
  // The fields' form first: a malformed change is 400 whatever version it names.
  std::optional<std::string> name;
  if (c.name) {
    auto checked = check_name(*c.name);
    if (!checked) return std::unexpected(checked.error());
    name = *checked;
  }
  if (c.description && code_points(*c.description) > max_description_length)
    return validation("description", "must be at most 2000 characters");
  if (c.slug)
    if (auto ok = check_slug_form(*c.slug); !ok) return std::unexpected(ok.error());
  if (c.metadata)
    if (auto ok = check_metadata_patch(*c.metadata, tenant_metadata_limits); !ok)
      return std::unexpected(ok.error());
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  tenant_updated e{(*t)->id, {}, {}, {}};
  if (c.name && *c.name != (*t)->name) e.name = *name;
  if (c.description && *c.description != (*t)->description) e.description = *c.description;
  if (c.slug && *c.slug != (*t)->slug) {
    auto s = check_explicit_slug(dir, *c.slug, *t);
    if (!s) return std::unexpected(s.error());
    e.slug = *s;
  }
  if (c.metadata) {
    metadata_map merged = patched((*t)->metadata, *c.metadata);
    if (auto ok = check_metadata(merged, tenant_metadata_limits); !ok)
      return std::unexpected(ok.error());
    if (merged != (*t)->metadata) e.metadata = std::move(merged);
  }
  if (!e.name && !e.description && !e.slug && !e.metadata) return events{};
  return events{e};
}

// PUT /v1/tenants/{slug}: a create with exactly that slug, or a replace of the live tenant
// holding it (name only when sent; description and metadata exactly as sent).
result<events> decide_put(const tenant_aggregate& dir, const put_tenant& c,
                          const decide_context& ctx) {
  if (auto ok = check_slug_form(c.slug); !ok) return std::unexpected(ok.error());
  if (c.name)
    if (auto ok = check_name(*c.name); !ok) return std::unexpected(ok.error());
  if (code_points(c.description) > max_description_length)
    return validation("description", "must be at most 2000 characters");
  if (auto ok = check_metadata(c.metadata, tenant_metadata_limits); !ok)
    return std::unexpected(ok.error());
  const tenant_state* held = dir.resolve(c.slug);
  if (!held) {
    if (c.expected_version)  // If-Match names a version of a tenant that does not exist
      return fail(errc::version_conflict, "version_conflict",
                  "No tenant holds the slug '" + c.slug + "'; If-Match cannot match.",
                  {{"current_version", 0}});
    const create_tenant create{c.name.value_or(c.slug), c.slug, c.description,
                               c.parent.value_or(std::nullopt), c.metadata};
    return decide_create(dir, create, ctx);
  }
  if (held->deleted)  // a deleted tenant keeps its slug until it is restored
    return fail(errc::conflict, "slug_taken", "The slug '" + c.slug + "' is taken.",
                {{"slug", c.slug}});
  auto t = live_tenant(dir, c.slug, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  if (c.parent) {
    const tenant_state* named = *c.parent ? dir.resolve(**c.parent) : nullptr;
    const std::optional<tenant_id> wanted =
        named && !named->deleted ? std::optional(named->id) : std::nullopt;
    if (wanted != (*t)->parent || (*c.parent && !wanted))
      return fail(errc::conflict, "parent_mismatch",
                  "Tenant '" + c.slug + "' has another parent; move it with /move.",
                  {{"parent_id",
                    (*t)->parent ? nlohmann::json((*t)->parent->value) : nlohmann::json(nullptr)}});
  }
  tenant_updated e{(*t)->id, {}, {}, {}};
  if (c.name && *c.name != (*t)->name) e.name = *c.name;
  if (c.description != (*t)->description) e.description = c.description;
  if (c.metadata != (*t)->metadata) e.metadata = c.metadata;
  if (!e.name && !e.description && !e.metadata) return events{};
  return events{e};
}

result<events> decide_move(const tenant_aggregate& dir, const move_tenant& c,
                           const decide_context& ctx) {
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  if (auto active = require_active(dir, **t); !active) return std::unexpected(active.error());
  const tenant_state* parent = nullptr;
  if (c.parent) {
    const tenant_state* p = dir.resolve(*c.parent);
    if (p && !p->deleted && dir.is_ancestor_or_self(**t, *p))
      return fail(errc::conflict, "hierarchy_cycle",
                  "A tenant cannot move below itself or one of its descendants.");
    auto usable = usable_parent(dir, *c.parent);
    if (!usable) return std::unexpected(usable.error());
    parent = *usable;
  }
  const std::optional<tenant_id> to = parent ? std::optional(parent->id) : std::nullopt;
  if (to == (*t)->parent) return events{};
  if (auto depth = check_depth(dir, parent, dir.height(**t), ctx); !depth)
    return std::unexpected(depth.error());
  return events{tenant_moved{(*t)->id, (*t)->parent, to}};
}

result<events> decide_lifecycle(const tenant_aggregate& dir, const change_tenant_lifecycle& c,
                                const decide_context&) {
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  const tenant_status from = (*t)->status;
  const tenant_id& id = (*t)->id;
  auto refuse = [&](std::string_view verb) -> result<events> {
    return fail(
        errc::conflict, "invalid_state_transition",
        "Cannot " + std::string(verb) + " a tenant that is " + std::string(to_string(from)) + ".",
        {{"status", to_string(from)}});
  };
  switch (c.action) {
    case lifecycle_action::suspend:
      if (from != tenant_status::active) return refuse("suspend");
      return events{tenant_suspended{id, c.reason}};
    case lifecycle_action::resume:
      if (from != tenant_status::suspended) return refuse("resume");
      return events{tenant_resumed{id, c.reason}};
    case lifecycle_action::activate:
      if (from != tenant_status::inactive) return refuse("activate");
      return events{tenant_activated{id, c.reason}};
    case lifecycle_action::deactivate:
      if (from == tenant_status::inactive) return refuse("deactivate");
      return events{tenant_deactivated{id, c.reason}};
  }
  return refuse("change");
}

result<events> decide_delete(const tenant_aggregate& dir, const delete_tenant& c,
                             const decide_context& ctx) {
  auto t = live_tenant(dir, c.ref, c.expected_version);
  if (!t) return std::unexpected(t.error());
  const auto subtree = dir.live_subtree(**t);
  if (subtree.size() > 1 && !c.recursive)
    return fail(errc::conflict, "tenant_has_children",
                "Tenant '" + (*t)->slug + "' has live children; delete with recursive=true.",
                {{"children", subtree.size() - 1}});
  const std::string deletion = ctx.new_id();
  events out;
  for (const tenant_state* s : subtree) out.push_back(tenant_deleted{s->id, deletion, (*t)->id});
  return out;
}

result<events> decide_restore(const tenant_aggregate& dir, const restore_tenant& c,
                              const decide_context&) {
  const tenant_state* t = dir.resolve(c.ref);
  if (!t) return tenant_not_found(c.ref);
  if (c.expected_version && *c.expected_version != t->version)
    return fail(errc::version_conflict, "version_conflict", "The tenant's version is stale.",
                {{"current_version", t->version}});
  if (!t->deleted)
    return fail(errc::conflict, "invalid_state_transition", "The tenant is not deleted.");
  if (t->parent && dir.find(*t->parent)->deleted)
    return fail(errc::conflict, "parent_deleted", "The parent tenant is deleted; restore it first.",
                {{"parent_id", t->parent->value}});
  // Everything deleted together with `t` below it, parents before children.
  events out;
  std::vector<const tenant_state*> queue{t};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    out.push_back(tenant_restored{queue[i]->id, t->deletion_id});
    for (const auto& c2 : queue[i]->children)
      if (const tenant_state* child = dir.find(c2);
          child && child->deleted && child->deletion_id == t->deletion_id)
        queue.push_back(child);
  }
  return out;
}

}  // namespace

result<std::vector<event>> decide(const tenant_aggregate& state, const tenant_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, create_tenant>)
          return decide_create(state, c, ctx);
        else if constexpr (std::is_same_v<T, update_tenant>)
          return decide_update(state, c, ctx);
        else if constexpr (std::is_same_v<T, put_tenant>)
          return decide_put(state, c, ctx);
        else if constexpr (std::is_same_v<T, configure_tenant>)
          return decide_configure(state, c);
        else if constexpr (std::is_same_v<T, set_feature_flag>)
          return decide_set_flag(state, c);
        else if constexpr (std::is_same_v<T, remove_feature_flag>)
          return decide_remove_flag(state, c);
        else if constexpr (std::is_same_v<T, move_tenant>)
          return decide_move(state, c, ctx);
        else if constexpr (std::is_same_v<T, change_tenant_lifecycle>)
          return decide_lifecycle(state, c, ctx);
        else if constexpr (std::is_same_v<T, delete_tenant>)
          return decide_delete(state, c, ctx);
        else if constexpr (std::is_same_v<T, restore_tenant>)
          return decide_restore(state, c, ctx);
        else
          static_assert(unhandled<T>, "a tenant command without a decision");
      },
      command);
}

}  // namespace tenantry
