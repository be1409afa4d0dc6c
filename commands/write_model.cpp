#include "commands/write_model.hpp"

#include <type_traits>

#include "commands/groups/group_decide.hpp"
#include "commands/invitations/invitation_decide.hpp"
#include "commands/object_kinds.hpp"
#include "commands/users/user_authorization.hpp"

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

// The user aggregate's own events (sessions are aggregates of their own).
template <class T>
constexpr bool is_user_aggregate_event =
    std::is_same_v<T, user_registered> || is_user_lifecycle_event<T>;

template <class T>
constexpr bool is_token_event = std::is_same_v<T, token_issued> || std::is_same_v<T, token_revoked>;

template <class T>
constexpr bool is_user_event =
    is_user_aggregate_event<T> || std::is_same_v<T, session_started> ||
    std::is_same_v<T, session_refreshed> || std::is_same_v<T, session_revoked>;

template <class T>
constexpr bool is_group_event =
    std::is_same_v<T, group_created> || std::is_same_v<T, group_updated> ||
    std::is_same_v<T, group_deleted> || std::is_same_v<T, group_member_added> ||
    std::is_same_v<T, group_member_removed>;

template <class T>
constexpr bool is_grant_event =
    std::is_same_v<T, permission_granted> || std::is_same_v<T, permission_revoked>;

template <class T>
constexpr bool is_invitation_event =
    std::is_same_v<T, invitation_sent> || std::is_same_v<T, invitation_accepted> ||
    std::is_same_v<T, invitation_declined> || std::is_same_v<T, invitation_revoked> ||
    std::is_same_v<T, invitation_expired>;

}  // namespace

std::string idempotency_principal(const std::string& actor, const std::string& actor_token) {
  return actor_token.empty() ? actor : actor + "\ntoken:" + actor_token;
}

namespace {

// Permissions a command would hand out, and where: on a tenant (its path), or on one
// object owned by that tenant (or by the platform, an empty path).
struct handout {
  std::vector<std::string> path;
  std::optional<access_object> object;
  std::vector<std::string> permissions;
};

template <class T>
constexpr bool hands_out =
    std::is_same_v<T, define_role> || std::is_same_v<T, change_role> ||
    std::is_same_v<T, assign_role> || std::is_same_v<T, add_member> ||
    std::is_same_v<T, change_member> || std::is_same_v<T, grant_permission> ||
    std::is_same_v<T, add_group_member> || std::is_same_v<T, issue_token> ||
    std::is_same_v<T, send_invitation>;

bool hands_out_any(const command& cmd) {
  return std::visit([](const auto& c) { return hands_out<std::decay_t<decltype(c)>>; }, cmd);
}

std::vector<std::string> path_of(const write_model& m, const std::string& tenant_ref) {
  const tenant_state* t = m.tenants.resolve(tenant_ref);
  return t ? m.tenants.path_ids(*t) : std::vector<std::string>{};
}

// Joining a group hands out what the group holds: its roles and its grants.
std::vector<handout> of_group(const write_model& m, const std::string& group_ref) {
  std::vector<handout> out;
  const group_state* g = m.groups.resolve(group_ref);
  if (!g) return out;
  for (const assignment_state* a : m.access.assignments_of("group", g->id.value))
    out.push_back(
        handout{path_of(m, a->tenant.value), std::nullopt, m.access.role_permissions(a->role)});
  for (const grant_state* grant : m.grants.grants_of("group", g->id.value)) {
    auto b = grant_aggregate::binding_of(*grant, std::nullopt);
    std::optional<access_object> object;
    if (!b.object_type.empty()) object = access_object{b.object_type, b.object_id};
    out.push_back(
        handout{b.tenant_id.empty() ? std::vector<std::string>{} : path_of(m, b.tenant_id),
                std::move(object),
                {grant->permission}});
  }
  return out;
}

std::vector<handout> of_grant(const write_model& m, const grant_permission& c) {
  const auto object = find_object(m, c.object_type, c.object_ref);
  // Unknown permissions and objects are the rules' 400 and 404, not a refusal.
  if (!object || !is_tenant_permission(c.permission)) return {};
  std::optional<access_object> target;
  if (object->kind != "tenant") target = object->as_access_object();
  return {handout{owner_path(m, *object), std::move(target), {c.permission}}};
}

// An invitation hands out its roles and, as grants on the tenant, its permissions.
std::vector<handout> of_invitation(const write_model& m, const send_invitation& c,
                                   std::vector<handout> roles) {
  if (roles.empty() || !m.tenants.resolve(c.tenant_ref)) return roles;
  for (const auto& p : c.permissions)
    if (is_tenant_permission(p)) roles.front().permissions.push_back(p);  // else the rules' 400
  return roles;
}

std::vector<handout> handed_out(const write_model& m, const command& cmd) {
  auto of_roles = [&](const std::string& tenant_ref, const std::vector<std::string>& roles) {
    std::vector<std::string> out;
    const tenant_state* t = m.tenants.resolve(tenant_ref);
    if (!t) return std::vector<handout>{};
    for (const auto& ref : roles) {
      const auto role = m.access.usable_role(m.tenants, *t, ref);
      for (auto& p : m.access.role_permissions(role.value_or(ref))) out.push_back(std::move(p));
    }
    return std::vector<handout>{handout{m.tenants.path_ids(*t), std::nullopt, std::move(out)}};
  };
  return std::visit(
      [&](const auto& c) -> std::vector<handout> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, define_role> || std::is_same_v<T, change_role>) {
          // Unknown permissions are the rules' 400, not a refusal.
          std::vector<std::string> known;
          for (const auto& p : c.permissions)
            if (is_tenant_permission(p)) known.push_back(p);
          const tenant_state* t = m.tenants.resolve(c.tenant_ref);
          if (!t) return {};
          return {handout{m.tenants.path_ids(*t), std::nullopt, std::move(known)}};
        } else if constexpr (std::is_same_v<T, assign_role>)
          return of_roles(c.tenant_ref, {c.role});
        else if constexpr (std::is_same_v<T, add_member>)
          return of_roles(c.tenant_ref,
                          c.roles.empty() ? std::vector<std::string>{"member"} : c.roles);
        else if constexpr (std::is_same_v<T, change_member>)
          return of_roles(c.tenant_ref, c.roles);
        else if constexpr (std::is_same_v<T, grant_permission>)
          return of_grant(m, c);
        else if constexpr (std::is_same_v<T, add_group_member>)
          return of_group(m, c.group_ref);
        else if constexpr (std::is_same_v<T, issue_token>) {
          std::vector<std::string> known;  // unknown scopes are the rules' 400
          for (const auto& p : c.scopes)
            if (is_tenant_permission(p)) known.push_back(p);
          const tenant_state* t = m.tenants.resolve(c.tenant_ref);
          if (!t) return {};
          return {handout{m.tenants.path_ids(*t), std::nullopt, std::move(known)}};
        } else if constexpr (std::is_same_v<T, send_invitation>)
          return of_invitation(m, c, of_roles(c.tenant_ref, c.roles));
        else
          return {};
      },
      cmd);
}

}  // namespace

namespace {

// A tenant with members is not deleted without recursive=true (its members come back
// with it on restore). A deleted user's membership does not count: it stays, hidden, and
// comes back with the user's restore, or, once the tenant is deleted too, with the tenant's.
result<std::vector<event>> decide_delete(const write_model& model, const delete_tenant& c,
                                         const decide_context& ctx) {
  auto decided = decide(model.tenants, tenant_command{c}, ctx);
  if (!decided || c.recursive) return decided;
  const tenant_state* t = model.tenants.resolve(c.ref);
  const std::size_t members = t ? model.access.member_count(t->id, model.users) : 0;
  if (members > 0)
    return fail(errc::conflict, "tenant_not_empty",
                "Tenant '" + t->slug + "' has members; delete with recursive=true.",
                {{"members", members}});
  return decided;
}

// A user's soft delete also revokes the API tokens it issued, in the same transaction: a
// restore brings the user back, never its tokens (like its sessions and access tokens).
result<std::vector<event>> decide_user_delete(const write_model& model, const delete_user& c,
                                              const decide_context& ctx) {
  auto out = decide(model.users, user_lifecycle_command{c}, ctx);
  if (!out) return out;
  std::vector<event> revocations;
  for (const event& e : *out)
    if (const auto* deleted = std::get_if<user_deleted>(&e))
      for (const token_state* t : model.tokens.live_tokens_by(deleted->id, ctx.now))
        revocations.push_back(token_revoked{t->id, "user_deleted"});
  out->insert(out->end(), revocations.begin(), revocations.end());
  return out;
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
          return decide(model.access, model.tenants, model.users, model.groups, access_command{c},
                        ctx);
        else if constexpr (std::is_constructible_v<group_command, T>)
          return decide(model, group_command{c}, ctx);
        else if constexpr (std::is_constructible_v<grant_command, T>)
          return decide(model, grant_command{c}, ctx);
        else if constexpr (std::is_constructible_v<token_command, T>)
          return decide(model.tokens, model.tenants, model.users, token_command{c}, ctx);
        else if constexpr (std::is_same_v<T, delete_user>)
          return decide_user_delete(model, c, ctx);
        else if constexpr (std::is_constructible_v<user_lifecycle_command, T>)
          return decide(model.users, user_lifecycle_command{c}, ctx);
        else if constexpr (std::is_constructible_v<invitation_command, T>)
          return decide(model, invitation_command{c}, ctx);
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

namespace {

std::unexpected<error> denied(const std::string& permission) {
  return fail(errc::permission_denied, "permission_denied",
              "You lack the permission " + permission + " here.", {{"permission", permission}});
}

std::unexpected<error> only_party(std::string_view kind) {
  return fail(errc::permission_denied, "permission_denied",
              "Only the " + std::string(party_of_kind(kind)) + " of this " + std::string(kind) +
                  " may do this.",
              {{"party", std::string(party_of_kind(kind))}});
}

// Where one check applies: a tenant's path, an object's owner path and the object, or the
// platform (an empty path); or the 404 of a missing or hidden target.
struct check_target {
  std::vector<std::string> path;
  std::optional<access_object> object;
  bool party = false;  // the caller is the object's party (an invitation's invitee)
};

result<check_target> target_of(const write_model& m, const command_authorization& a,
                               const access_facts& facts, timestamp now) {
  if (!a.object_kind.empty()) {
    const auto object = find_object(m, a.object_kind, a.object_ref);
    if (!object) return object_not_found(a.object_kind, a.object_ref);
    check_target t{owner_path(m, *object), std::nullopt};
    if (object->kind != "tenant") t.object = object->as_access_object();
    // The party is the user itself, signed in: never an API token acting for it.
    t.party = a.token_id.empty() && is_party(m, *object, user_id{a.user_id});
    return t;
  }
  if (!a.tenant_ref) return check_target{};
  const tenant_state* t = m.tenants.resolve(*a.tenant_ref);
  // A missing tenant is the command's own 404, unless the caller could not have seen it
  // anyway: then 404 before anything else, as for a hidden one.
  if (!t) {
    if (check_access(facts, {}, a.permission, now).allowed) return check_target{};
    return tenant_not_found(*a.tenant_ref);
  }
  return check_target{m.tenants.path_ids(*t), std::nullopt};
}

}  // namespace

access_facts write_model::facts_of(const user_id& user,
                                   std::vector<std::string> platform_roles) const {
  std::vector<std::string> live_groups;
  for (const group_state* g : groups.groups_of_user(user))
    if (groups.is_live(*g, tenants)) live_groups.push_back(g->id.value);
  access_facts facts{std::move(platform_roles), access.bindings_of(user, live_groups)};
  for (const grant_state* g : grants.grants_of("user", user.value))
    facts.bindings.push_back(grant_aggregate::binding_of(*g, std::nullopt));
  for (const std::string& group : live_groups)
    for (const grant_state* g : grants.grants_of("group", group))
      facts.bindings.push_back(grant_aggregate::binding_of(*g, group));
  return facts;
}

namespace {

// The caller's roles: a user's own, or an API token's (its creator's current ones, limited
// to the token's tenant subtree and scopes).
result<access_facts> facts_for(const write_model& m, const command_authorization& a,
                               timestamp now) {
  if (a.token_id.empty()) return m.facts_of(user_id{a.user_id}, a.platform_roles);
  auto token = acting_token(m.tokens, m.tenants, m.users, a.token_id, now);
  if (!token) return std::unexpected(token.error());
  const user_state* creator = m.users.find((*token)->created_by);
  access_facts facts = m.facts_of(creator->id, creator->platform_roles);
  facts.token = token_limit{(*token)->id.value, (*token)->tenant.value, (*token)->scopes};
  return facts;
}

}  // namespace

result<void> write_model::authorize(const std::vector<command_authorization>& checks,
                                    const command& cmd, timestamp now) const {
  for (const command_authorization& sent : checks) {
    auto current = current_caller(users, sent);
    if (!current) return std::unexpected(current.error());
    const command_authorization& a = *current;
    if (acts_on_itself(users, a)) continue;
    // Platform roles hold everywhere: their check needs neither the tenant nor the
    // caller's bindings (most commands come from them). Only a party acts for itself.
    const access_facts platform_only{a.platform_roles, {}};
    const bool party_only = a.party == object_party::only;
    if (!party_only && a.token_id.empty() && !hands_out_any(cmd) &&
        check_access(platform_only, {}, a.permission, now).allowed)
      continue;
    auto known = facts_for(*this, a, now);
    if (!known) return std::unexpected(known.error());
    const access_facts& facts = *known;
    auto target = target_of(*this, a, facts, now);
    if (!target) return std::unexpected(target.error());
    if (target->party && a.party != object_party::none) continue;
    const bool scoped = a.tenant_ref || !a.object_kind.empty();
    if (party_only ||
        !check_access(facts, target->path, a.permission, now, target->object).allowed) {
      if (!scoped) return denied(a.permission);
      const std::string kind = a.object_kind.empty() ? "tenant" : a.object_kind;
      const std::string ref = a.object_kind.empty() ? *a.tenant_ref : a.object_ref;
      // The party sees its object; anyone else needs the kind's read permission there.
      if (!target->party &&
          !check_access(facts, target->path, visibility_permission(kind), now, target->object)
               .allowed)
        return object_not_found(kind, ref);
      if (party_only) return only_party(kind);
      return denied(a.permission);
    }
    // Handing out roles or grants: only permissions the caller holds there itself.
    if (!scoped) continue;
    for (const handout& h : handed_out(*this, cmd))
      for (const std::string& p : h.permissions)
        if (!check_access(facts, h.path, p, now, h.object).allowed)
          return fail(errc::permission_denied, "permission_denied",
                      "You cannot hand out the permission " + p + ", which you do not hold here.",
                      {{"permission", p}});
  }
  if (checks.empty()) return {};
  auto caller = current_caller(users, checks.front());
  if (!caller) return std::unexpected(caller.error());
  return authorize_user_change(users, *caller, cmd);
}

std::int64_t write_model::version_of(const event& e) const {
  return std::visit(
      [&](const auto& ev) -> std::int64_t {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (is_tenant_event<T>) {
          const tenant_state* t = tenants.find(ev.id);
          return t ? t->version : 0;
        } else if constexpr (is_user_aggregate_event<T>) {
          const user_state* u = users.find(ev.id);
          return u ? u->version : 0;
        } else if constexpr (is_user_event<T>) {
          const session_state* s = users.find_session(ev.id);
          return s ? s->version : 0;
        } else if constexpr (is_group_event<T>) {
          const group_state* g = groups.find(ev.id);
          return g ? g->version : 0;
        } else if constexpr (is_grant_event<T>) {
          const grant_state* g = grants.find(ev.id);
          return g ? g->version : 0;
        } else if constexpr (is_token_event<T>) {
          return tokens.version_of(e);
        } else if constexpr (is_invitation_event<T>) {
          const invitation_state* i = invitations.find(ev.id);
          return i ? i->version : 0;
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
        } else if constexpr (is_user_aggregate_event<T>) {
          return ev.id.value;
        } else if constexpr (std::is_same_v<T, session_started>) {
          return ev.user.value;
        } else if constexpr (is_user_event<T>) {
          const session_state* s = users.find_session(ev.id);
          return s ? s->user.value : ev.id.value;
        } else if constexpr (is_group_event<T> || is_grant_event<T>) {
          std::optional<tenant_id> owner;
          if constexpr (is_group_event<T>) {
            if (const group_state* g = groups.find(ev.id)) owner = g->tenant;
          } else if (const grant_state* g = grants.find(ev.id)) {
            owner = g->tenant;
          }
          const tenant_state* t = owner ? tenants.find(*owner) : nullptr;
          return t ? tenants.root_of(*t).value : ev.id.value;
        } else if constexpr (is_invitation_event<T>) {
          const invitation_state* i = invitations.find(ev.id);
          const tenant_state* t = i ? tenants.find(i->tenant) : nullptr;
          return t ? tenants.root_of(*t).value : ev.id.value;
        } else {
          const auto tenant = is_token_event<T> ? tokens.tenant_of(e) : access.tenant_of(e);
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
        else if constexpr (is_group_event<T>)
          groups.evolve(e.data, e.meta.aggregate_version, e.meta.time);
        else if constexpr (is_grant_event<T>)
          grants.evolve(e.data, e.meta.aggregate_version, e.meta.time);
        else if constexpr (is_token_event<T>)
          tokens.evolve(e.data, e.meta.aggregate_version, e.meta.time);
        else if constexpr (is_invitation_event<T>)
          invitations.evolve(e.data, e.meta.aggregate_version, e.meta.time);
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
    idempotency_[idempotency_scope(idempotency_principal(meta.actor, meta.actor_token),
                                   meta.idempotency_key)] =
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
