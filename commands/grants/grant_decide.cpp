// The rules of object permission grants, decided on the whole write model.

#include "commands/object_kinds.hpp"
#include "commands/write_model.hpp"

namespace tenantry {
namespace {

using events = std::vector<event>;

// The principal a grant names, as an id: a user, or a group usable on the object.
result<std::string> principal_of(const write_model& m, const grant_permission& c,
                                 const std::vector<std::string>& path) {
  if (c.principal_type == "user") {
    if (const user_state* u = m.users.resolve(c.principal_ref)) return u->id.value;
    return fail(errc::not_found, "not_found", "No user '" + c.principal_ref + "' exists.",
                {{"resource", "user"}});
  }
  if (const group_state* g = m.groups.usable_group(m.tenants, path, c.principal_ref))
    return g->id.value;
  return fail(errc::not_found, "not_found",
              "No group '" + c.principal_ref + "' can hold permissions there.",
              {{"resource", "group"}});
}

result<events> decide_revoke(const write_model& m, const revoke_permission& c) {
  if (!find_object(m, "grant", c.grant)) return object_not_found("grant", c.grant);
  const grant_state* g = m.grants.find(grant_id{c.grant});
  if (g->revoked)
    return fail(errc::conflict, "invalid_state_transition", "The grant is already revoked.");
  return events{permission_revoked{g->id, "revoked"}};
}

}  // namespace

result<std::optional<permission_granted>> decide_grant(const write_model& m,
                                                       const grant_permission& c,
                                                       const decide_context& ctx) {
  if (c.principal_type != "user" && c.principal_type != "group")
    return validation("principal.type", "must be user or group");
  if (!is_tenant_permission(c.permission))
    return validation("permission", "unknown permission '" + c.permission + "'");
  if (!is_grantable_object_type(c.object_type))
    return validation("object.type", "must be tenant or group");
  const auto object = find_object(m, c.object_type, c.object_ref);
  if (!object) return object_not_found(c.object_type, c.object_ref);
  if (object->tenant)
    if (auto active = require_active(m.tenants, *m.tenants.find(*object->tenant)); !active)
      return std::unexpected(active.error());
  const std::vector<std::string> path = owner_path(m, *object);
  auto principal = principal_of(m, c, path);
  if (!principal) return std::unexpected(principal.error());
  permission_granted e{grant_id{ctx.new_id()}, c.principal_type, *principal,    c.permission,
                       object->kind,           object->id,       object->tenant};
  if (m.grants.same_grant(e)) return std::optional<permission_granted>();
  return std::optional(std::move(e));
}

result<std::vector<event>> decide(const write_model& model, const grant_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, grant_permission>) {
          auto granted = decide_grant(model, c, ctx);
          if (!granted) return std::unexpected(granted.error());
          if (!*granted)
            return fail(errc::conflict, "already_granted",
                        "The principal already holds this permission on this object.");
          return events{std::move(**granted)};
        } else if constexpr (std::is_same_v<T, revoke_permission>) {
          return decide_revoke(model, c);
        } else {
          static_assert(unhandled<T>, "a grant command without a decision");
        }
      },
      command);
}

namespace {

// A grant hands out its permission on its object (a tenant: for the tenant's subtree).
std::vector<handout> of_grant(const write_model& m, const grant_permission& c) {
  const auto object = find_object(m, c.object_type, c.object_ref);
  // Unknown permissions and objects are the rules' 400 and 404, not a refusal.
  if (!object || !is_tenant_permission(c.permission)) return {};
  std::optional<access_object> target;
  if (object->kind != "tenant") target = object->as_access_object();
  return {handout{owner_path(m, *object), std::move(target), {c.permission}}};
}

}  // namespace

caller_demands demands_of(const write_model& model, const grant_command& command) {
  return std::visit(
      [&](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, grant_permission>)
          return {true, of_grant(model, c)};
        else if constexpr (std::is_same_v<T, revoke_permission>)
          return {};
        else
          static_assert(unhandled<T>, "a grant command without its demands on the caller");
      },
      command);
}

}  // namespace tenantry
