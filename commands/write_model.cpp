#include "commands/write_model.hpp"

#include <type_traits>

#include "commands/object_kinds.hpp"
#include "commands/users/user_authorization.hpp"

namespace tenantry {
namespace {

std::string idempotency_scope(const std::string& actor, const std::string& key) {
  return actor + '\n' + key;
}

// ---- routing: each command and event to the one aggregate whose variant holds it --------

template <std::size_t I>
using aggregate_at = std::remove_cvref_t<decltype(std::declval<write_model&>().*
                                                  std::get<I>(write_model_aggregates))>;
inline constexpr std::size_t aggregate_count = std::tuple_size_v<decltype(write_model_aggregates)>;

// The index of the aggregate whose variant (`commands` or `events`) holds T.
template <class T, bool Commands, std::size_t... I>
consteval std::size_t owner_index(std::index_sequence<I...>) {
  constexpr bool holds[] = {
      is_alternative_v<T, std::conditional_t<Commands, typename aggregate_at<I>::commands,
                                             typename aggregate_at<I>::events>>...};
  std::size_t found = aggregate_count, count = 0;
  for (std::size_t i = 0; i < aggregate_count; ++i)
    if (holds[i]) found = i, ++count;
  return count == 1 ? found : aggregate_count;
}

template <class T>
constexpr std::size_t command_owner =
    owner_index<T, true>(std::make_index_sequence<aggregate_count>{});
template <class T>
constexpr std::size_t event_owner =
    owner_index<T, false>(std::make_index_sequence<aggregate_count>{});

// Every command and every event has exactly one aggregate, and every aggregate's commands
// and events are commands and events.
template <class Variant, bool Commands>
consteval bool all_owned() {
  return []<class... A>(std::type_identity<std::variant<A...>>) {
    if constexpr (Commands)
      return ((command_owner<A> < aggregate_count) && ...);
    else
      return ((event_owner<A> < aggregate_count) && ...);
  }(std::type_identity<Variant>{});
}
template <class Own, class All>
consteval bool all_within() {
  return []<class... A>(std::type_identity<std::variant<A...>>) {
    return (is_alternative_v<A, All> && ...);
  }(std::type_identity<Own>{});
}
static_assert(
    []<std::size_t... I>(std::index_sequence<I...>) {
      return (aggregate<aggregate_at<I>> && ...);
    }(std::make_index_sequence<aggregate_count>{}),
    "an entry of write_model_aggregates that is not an aggregate (commands/aggregate.hpp)");
static_assert(all_owned<command, true>(),
              "a command that no aggregate of write_model_aggregates decides, or two do");
static_assert(all_owned<event, false>(),
              "an event that no aggregate of write_model_aggregates applies, or two do");
static_assert(
    []<std::size_t... I>(std::index_sequence<I...>) {
      return ((all_within<typename aggregate_at<I>::commands, command>() &&
               all_within<typename aggregate_at<I>::events, event>()) &&
              ...);
    }(std::make_index_sequence<aggregate_count>{}),
    "an aggregate's command or event missing from `command` or `event`");

// The aggregate of the write model that owns the command or event alternative T.
template <class T>
const auto& command_aggregate(const write_model& m) {
  return m.*std::get<command_owner<T>>(write_model_aggregates);
}
template <class T>
const auto& event_aggregate(const write_model& m) {
  return m.*std::get<event_owner<T>>(write_model_aggregates);
}
template <class T>
auto& event_aggregate(write_model& m) {
  return m.*std::get<event_owner<T>>(write_model_aggregates);
}

// The resource's own variant of the command alternative T.
template <class T>
using commands_of = typename std::remove_cvref_t<decltype(command_aggregate<T>(
    std::declval<const write_model&>()))>::commands;

}  // namespace

std::string idempotency_principal(const std::string& actor, const std::string& actor_token) {
  return actor_token.empty() ? actor : actor + "\ntoken:" + actor_token;
}

result<std::vector<event>> write_model::decide(const command& cmd,
                                               const decide_context& ctx) const {
  return std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        return tenantry::decide(*this, commands_of<T>{c}, ctx);
      },
      cmd);
}

namespace {

// What the command asks of its caller, as its resource says (commands/caller_demands.hpp).
caller_demands demands_on_caller(const write_model& model, const command& cmd) {
  return std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        return demands_of(model, commands_of<T>{c});
      },
      cmd);
}

}  // namespace

namespace {

std::unexpected<error> denied(const std::string& permission) {
  return fail(errc::permission_denied, "permission_denied",
              "You lack the permission " + permission + " here.", {{"permission", permission}});
}

// An upsert's slug held by a tenant the caller may not see: taken, as for a create.
std::unexpected<error> slug_taken(const std::string& slug) {
  return fail(errc::conflict, "slug_taken", "The slug '" + slug + "' is taken.", {{"slug", slug}});
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
  const caller_demands demands = demands_on_caller(*this, cmd);
  // Default deny: a command with a signed-in caller must come with what its route checked.
  if (checks.empty() && !demands.anonymous)
    return fail(errc::permission_denied, "permission_denied",
                "The command reached the writer without the authorization it needs.",
                {{"reason", "no_authorization"}});
  for (const command_authorization& sent : checks) {
    auto current = current_caller(users, sent);
    if (!current) return std::unexpected(current.error());
    const command_authorization& a = *current;
    if (a.only_when && (tenants.resolve(a.only_when->slug) != nullptr) != a.only_when->held)
      continue;
    if (acts_on_itself(users, a)) continue;
    // Platform roles hold everywhere: their check needs neither the tenant nor the
    // caller's bindings (most commands come from them). Only a party acts for itself.
    const access_facts platform_only{a.platform_roles, {}};
    const bool party_only = a.party == object_party::only;
    if (!party_only && a.token_id.empty() && !demands.hands_out &&
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
        return a.only_when && a.only_when->held ? slug_taken(a.only_when->slug)
                                                : object_not_found(kind, ref);
      if (party_only) return only_party(kind);
      return denied(a.permission);
    }
    // Handing out roles or grants: only permissions the caller holds there itself.
    if (!scoped) continue;
    for (const handout& h : demands.handouts)
      for (const std::string& p : h.permissions)
        if (!check_access(facts, h.path, p, now, h.object).allowed)
          return fail(errc::permission_denied, "permission_denied",
                      "You cannot hand out the permission " + p + ", which you do not hold here.",
                      {{"permission", p}});
  }
  if (checks.empty()) return {};
  auto caller = current_caller(users, checks.front());
  if (!caller) return std::unexpected(caller.error());
  if (!demands.changed_user) return {};
  return authorize_user_change(users, *caller, *demands.changed_user,
                               std::get_if<update_user>(&cmd));
}

std::int64_t write_model::version_of(const event& e) const {
  return std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        return event_aggregate<T>(*this).version_of(e);
      },
      e);
}

std::string write_model::partition_key_of(const event& e) const {
  return std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        return event_aggregate<T>(*this).partition_key_of(e, tenants);
      },
      e);
}

void write_model::apply(const recorded_event& e) {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        event_aggregate<T>(*this).evolve(e.data, e.meta.aggregate_version, e.meta.time);
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

void write_model::forget_what_has_ended(timestamp now, std::chrono::hours ttl) {
  forget_idempotency_before(now - ttl);
  users.forget_sessions_ended_by(now);
}

}  // namespace tenantry
