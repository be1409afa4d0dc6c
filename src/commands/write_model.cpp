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
constexpr bool is_user_event = std::is_same_v<T, user_registered> ||
                               std::is_same_v<T, session_started> ||
                               std::is_same_v<T, session_refreshed> ||
                               std::is_same_v<T, session_revoked>;

}  // namespace

result<void> write_model::authorize(const command_authorization& a, timestamp now) const {
  access_facts facts{a.platform_roles, access.bindings_of(user_id{a.user_id})};
  std::vector<std::string> path;
  std::string tenant_ref;
  if (a.tenant_ref) {
    const tenant_state* t = tenants.resolve(*a.tenant_ref);
    if (!t) return {};  // the command itself answers 404
    path = tenants.path_ids(*t);
    tenant_ref = *a.tenant_ref;
  }
  if (check_access(facts, path, a.permission, now).allowed) return {};
  if (a.tenant_ref && (is_read_permission(a.permission) ||
                       !check_access(facts, path, "tenant.read", now).allowed))
    return fail(errc::not_found, "not_found", "No tenant '" + tenant_ref + "' exists.");
  return fail(errc::permission_denied, "permission_denied",
              "You lack the permission " + a.permission + " here.",
              {{"permission", a.permission}});
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
