#include "commands/write_model.hpp"

#include <type_traits>

namespace tenantry {
namespace {

std::string idempotency_scope(const std::string& actor, const std::string& key) {
  return actor + '\n' + key;
}

template <class T>
constexpr bool is_tenant_event =
    std::is_same_v<T, tenant_created> || std::is_same_v<T, tenant_updated> ||
    std::is_same_v<T, tenant_moved> || std::is_same_v<T, tenant_suspended> ||
    std::is_same_v<T, tenant_resumed> || std::is_same_v<T, tenant_activated> ||
    std::is_same_v<T, tenant_deactivated> || std::is_same_v<T, tenant_deleted> ||
    std::is_same_v<T, tenant_restored>;

template <class T>
constexpr bool is_user_event =
    std::is_same_v<T, user_registered> || std::is_same_v<T, session_started> ||
    std::is_same_v<T, session_refreshed> || std::is_same_v<T, session_revoked>;

}  // namespace

namespace {

// The permissions a command would hand out, and the tenant it hands them out on.
std::optional<std::pair<std::string, std::vector<std::string>>> handed_out(const write_model& m,
                                                                           const command& cmd) {
  auto of_roles = [&](const std::string& tenant_ref, const std::vector<std::string>& roles) {
    std::vector<std::string> out;
    const tenant_state* t = m.tenants.resolve(tenant_ref);
    for (const auto& ref : roles) {
      const auto role = t ? m.access.usable_role(m.tenants, *t, ref) : std::nullopt;
      for (auto& p : m.access.role_permissions(role.value_or(ref))) out.push_back(std::move(p));
    }
    return std::pair(tenant_ref, std::move(out));
  };
  return std::visit(
      [&](const auto& c) -> std::optional<std::pair<std::string, std::vector<std::string>>> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, define_role> || std::is_same_v<T, change_role>) {
          // Unknown permissions are the rules' 400, not a refusal.
          std::vector<std::string> known;
          for (const auto& p : c.permissions)
            if (is_tenant_permission(p)) known.push_back(p);
          return std::pair(c.tenant_ref, std::move(known));
        } else if constexpr (std::is_same_v<T, assign_role>)
          return of_roles(c.tenant_ref, {c.role});
        else if constexpr (std::is_same_v<T, add_member>)
          return of_roles(c.tenant_ref,
                          c.roles.empty() ? std::vector<std::string>{"member"} : c.roles);
        else if constexpr (std::is_same_v<T, change_member>)
          return of_roles(c.tenant_ref, c.roles);
        else
          return std::nullopt;
      },
      cmd);
}

}  // namespace

namespace {

// A tenant with members is not deleted without recursive=true (its members come back
// with it on restore).
result<std::vector<event>> decide_delete(const write_model& model, const delete_tenant& c,
                                         const decide_context& ctx) {
  auto decided = decide(model.tenants, tenant_command{c}, ctx);
  if (!decided || c.recursive) return decided;
  const tenant_state* t = model.tenants.resolve(c.ref);
  if (t && model.access.member_count(t->id) > 0)
    return fail(errc::conflict, "tenant_not_empty",
                "Tenant '" + t->slug + "' has members; delete with recursive=true.",
                {{"members", model.access.member_count(t->id)}});
  return decided;
}

// Routes a command to the aggregate that decides it; lookups decide nothing.
result<std::vector<event>> decide_any(const write_model& model, const command& cmd,
                                      const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<std::vector<event>> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, lookup_credentials>)
          return std::vector<event>{};
        else if constexpr (std::is_same_v<T, register_user> || std::is_same_v<T, start_session> ||
                           std::is_same_v<T, refresh_session>)
          return decide(model.users, user_command{c}, ctx);
        else if constexpr (std::is_constructible_v<access_command, T>)
          return decide(model.access, model.tenants, model.users, access_command{c}, ctx);
        else if constexpr (std::is_same_v<T, delete_tenant>)
          return decide_delete(model, c, ctx);
        else
          return decide(model.tenants, tenant_command{c}, ctx);
      },
      cmd);
}

}  // namespace

result<std::vector<event>> write_model::decide(const command& cmd,
                                               const decide_context& ctx) const {
  return decide_any(*this, cmd, ctx);
}

result<void> write_model::authorize(const std::vector<command_authorization>& checks,
                                    const command& cmd, timestamp now) const {
  for (const command_authorization& a : checks) {
    // Platform roles hold everywhere: their check needs neither the tenant nor the
    // caller's bindings (most commands come from them).
    const access_facts platform_only{a.platform_roles, {}};
    if (!handed_out(*this, cmd) && check_access(platform_only, {}, a.permission, now).allowed)
      continue;
    const access_facts facts{a.platform_roles, access.bindings_of(user_id{a.user_id})};
    std::vector<std::string> path;
    if (a.tenant_ref) {
      const tenant_state* t = tenants.resolve(*a.tenant_ref);
      // A missing tenant is the command's own 404, unless the caller could not have seen
      // it anyway: then 404 before anything else, as for a hidden one.
      if (!t) {
        if (check_access(facts, {}, a.permission, now).allowed) continue;
        return tenant_not_found(*a.tenant_ref);
      }
      path = tenants.path_ids(*t);
    }
    if (!check_access(facts, path, a.permission, now).allowed) {
      if (a.tenant_ref && !check_access(facts, path, "tenant.read", now).allowed)
        return tenant_not_found(*a.tenant_ref);
      return fail(errc::permission_denied, "permission_denied",
                  "You lack the permission " + a.permission + " here.",
                  {{"permission", a.permission}});
    }
    // Handing out roles: only permissions the caller holds on that tenant itself.
    const auto given = handed_out(*this, cmd);
    if (!given || !a.tenant_ref) continue;
    const tenant_state* t = tenants.resolve(given->first);
    if (!t) continue;
    const auto on = tenants.path_ids(*t);
    for (const std::string& p : given->second)
      if (!check_access(facts, on, p, now).allowed)
        return fail(errc::permission_denied, "permission_denied",
                    "You cannot hand out the permission " + p + ", which you do not hold here.",
                    {{"permission", p}});
  }
  return {};
}

std::int64_t write_model::version_of(const event& e) const {
  return std::visit(
      [&](const auto& ev) -> std::int64_t {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (is_tenant_event<T>) {
          const tenant_state* t = tenants.find(ev.id);
          return t ? t->version : 0;
        } else if constexpr (std::is_same_v<T, user_registered>) {
          const user_state* u = users.find(ev.id);
          return u ? u->version : 0;
        } else if constexpr (is_user_event<T>) {
          const session_state* s = users.find_session(ev.id);
          return s ? s->version : 0;
        } else {
          return access.version_of(e);
        }
      },
      e);
}

std::string write_model::partition_key_of(const event& e) const {
  return std::visit(
      [&](const auto& ev) -> std::string {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (is_tenant_event<T>) {
          const tenant_state* t = tenants.find(ev.id);
          return t ? tenants.root_of(*t).value : ev.id.value;
        } else if constexpr (std::is_same_v<T, user_registered>) {
          return ev.id.value;
        } else if constexpr (std::is_same_v<T, session_started>) {
          return ev.user.value;
        } else if constexpr (is_user_event<T>) {
          const session_state* s = users.find_session(ev.id);
          return s ? s->user.value : ev.id.value;
        } else {
          const auto tenant = access.tenant_of(e);
          const tenant_state* t = tenant ? tenants.find(*tenant) : nullptr;
          return t ? tenants.root_of(*t).value : ev.id.value;
        }
      },
      e);
}

void write_model::apply(const recorded_event& e) {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (is_tenant_event<T>)
          tenants.evolve(e.data, e.meta.aggregate_version, e.meta.time);
        else if constexpr (is_user_event<T>)
          users.evolve(e.data, e.meta.aggregate_version, e.meta.time);
        else
          access.evolve(e.data, e.meta.aggregate_version, e.meta.time);
      },
      e.data);
  remember_response(e.meta);
  if (e.offset > last_offset_) last_offset_ = e.offset;
  ++event_count_;
}

void write_model::remember_response(const event_metadata& meta) {
  if (!meta.idempotency_key.empty() && meta.response)
    idempotency_[idempotency_scope(meta.actor, meta.idempotency_key)] =
        idempotency_record{meta.request_hash, *meta.response, meta.time};
}

const idempotency_record* write_model::idempotency(const std::string& actor,
                                                   const std::string& key) const {
  const auto it = idempotency_.find(idempotency_scope(actor, key));
  return it == idempotency_.end() ? nullptr : &it->second;
}

void write_model::forget_idempotency_before(timestamp cutoff) {
  std::erase_if(idempotency_, [&](const auto& kv) { return kv.second.at < cutoff; });
}

}  // namespace tenantry
