#include "commands/users/user_aggregate.hpp"

#include <algorithm>
#include <unordered_set>

#include "events/privacy/personal_fields.hpp"
#include "events/secret_compare.hpp"
#include "events/text_length.hpp"

namespace tenantry {

bool is_platform_role(std::string_view role) {
  return std::ranges::find(platform_role_names, role) != std::end(platform_role_names);
}

int platform_role_rank(std::string_view role) {
  if (role == "super_admin") return 4;
  if (role == "system_admin") return 3;
  if (role == "platform_admin") return 2;
  if (role == "platform_operator") return 1;
  return 0;
}

std::string normalize_email(std::string_view email) {
  std::string out(email);
  std::ranges::transform(out, out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

bool plausible_email(std::string_view email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find('@', at + 1) == std::string_view::npos &&
         email.find_first_of(" \t\r\n") == std::string_view::npos;
}

const user_state* user_aggregate::find(const user_id& id) const {
  const auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

const user_state* user_aggregate::find_by_email(std::string_view email) const {
  const auto it = by_email_.find(normalize_email(email));
  return it == by_email_.end() ? nullptr : find(it->second);
}

const user_state* user_aggregate::resolve_any(std::string_view ref) const {
  return looks_like_uuid(ref) ? find(user_id{std::string(ref)}) : find_by_email(ref);
}

const user_state* user_aggregate::resolve(std::string_view ref) const {
  const user_state* u = resolve_any(ref);
  return u && !u->deleted ? u : nullptr;
}

std::vector<session_id> user_aggregate::live_sessions(const user_id& user, timestamp now) const {
  std::vector<session_id> out;
  const auto it = sessions_by_user_.find(user);
  if (it == sessions_by_user_.end()) return out;
  for (const session_id& id : it->second) {
    const session_state* s = find_session(id);
    if (s && !s->revoked && s->expires_at > now) out.push_back(id);
  }
  return out;
}

std::size_t user_aggregate::active_super_admins() const {
  return static_cast<std::size_t>(std::ranges::count_if(users_, [](const auto& kv) {
    const user_state& u = kv.second;
    return u.in_good_standing() &&
           std::ranges::find(u.platform_roles, "super_admin") != u.platform_roles.end();
  }));
}

const session_state* user_aggregate::find_session(const session_id& id) const {
  const auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

const session_state* user_aggregate::session_by_token(std::string_view hash) const {
  const auto it = by_token_.find(std::string(hash));
  return it == by_token_.end() ? nullptr : find_session(it->second);
}

std::size_t user_aggregate::forget_sessions_ended_by(timestamp cutoff) {
  std::unordered_set<session_id> gone;
  for (const auto& [id, s] : sessions_)
    if (s.revoked || s.expires_at <= cutoff) gone.insert(id);
  if (gone.empty()) return 0;
  std::erase_if(sessions_, [&](const auto& kv) { return gone.contains(kv.first); });
  std::erase_if(by_token_, [&](const auto& kv) { return gone.contains(kv.second); });
  for (auto it = sessions_by_user_.begin(); it != sessions_by_user_.end();) {
    std::erase_if(it->second, [&](const session_id& id) { return gone.contains(id); });
    it = it->second.empty() ? sessions_by_user_.erase(it) : std::next(it);
  }
  return gone.size();
}

// Frees the user's address, when it is the user's (an erased user's is "", nobody's).
void user_aggregate::unindex_email(const user_state& u) {
  const auto it = by_email_.find(u.email);
  if (it != by_email_.end() && it->second == u.id) by_email_.erase(it);
}

// The lifecycle events of a user (registration aside).
template <class T>
void user_aggregate::evolve_user(const T& ev, std::int64_t version, timestamp at) {
  user_state& u = users_.at(ev.id);
  if constexpr (std::is_same_v<T, user_updated>) {
    if (u.email != ev.email) {
      unindex_email(u);
      if (!ev.email.empty()) by_email_[ev.email] = u.id;  // "": opened as erased
    }
    u.email = ev.email;
    u.name = ev.name;
    u.platform_roles = ev.platform_roles;
  } else if constexpr (std::is_same_v<T, user_profile_changed>) {
    u.profile = ev.profile;
  } else if constexpr (std::is_same_v<T, user_deactivated>) {
    u.active = false;
    ++u.auth_generation;
  } else if constexpr (std::is_same_v<T, user_activated>) {
    u.active = true;
  } else if constexpr (std::is_same_v<T, user_deleted>) {
    u.deleted = true;
    ++u.auth_generation;
  } else if constexpr (std::is_same_v<T, user_restored>) {
    u.deleted = false;
  } else if constexpr (std::is_same_v<T, user_erased>) {
    unindex_email(u);
    u.erased = true;
    u.email.clear();
    u.name = erased_name;
    u.password_hash.clear();  // verifies nothing
    u.profile = {};
  } else if constexpr (std::is_same_v<T, user_password_changed>) {
    u.password_hash = ev.password_hash;
    ++u.auth_generation;
  } else if constexpr (std::is_same_v<T, user_password_rehashed>) {
    u.password_hash = ev.password_hash;
  } else {
    static_assert(unhandled<T>, "a user lifecycle event the users aggregate does not apply");
  }
  u.version = version;
  u.updated_at = at;
}

void user_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<user_event>(e, [&](const auto& ev) {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, user_registered>) {
      if (!ev.email.empty()) by_email_[ev.email] = ev.id;  // "": opened as erased
      users_[ev.id] = user_state{ev.id,   ev.email, ev.name, ev.password_hash, ev.platform_roles,
                                 version, at,       at};
    } else if constexpr (std::is_same_v<T, session_started>) {
      by_token_[ev.token_hash] = ev.id;
      sessions_[ev.id] =
          session_state{ev.id, ev.user, ev.token_hash, ev.expires_at, false, version, at};
      sessions_by_user_[ev.user].push_back(ev.id);
    } else if constexpr (std::is_same_v<T, session_refreshed>) {
      const auto found = sessions_.find(ev.id);
      if (found == sessions_.end()) return;  // forgotten once it ended
      auto& s = found->second;
      by_token_[ev.token_hash] = ev.id;
      s.current_hash = ev.token_hash;
      s.expires_at = ev.expires_at;
      s.version = version;
    } else if constexpr (std::is_same_v<T, session_revoked>) {
      const auto found = sessions_.find(ev.id);
      if (found == sessions_.end()) return;  // forgotten once it ended
      auto& s = found->second;
      s.revoked = true;
      s.version = version;
    } else if constexpr (is_alternative_v<T, user_lifecycle_event>) {
      evolve_user(ev, version, at);
    } else {
      static_assert(unhandled<T>, "a user event the users aggregate does not apply");
    }
  });
}

std::int64_t user_aggregate::version_of(const event& e) const {
  return visit_as<user_event>(e, [&](const auto& ev) -> std::int64_t {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (is_alternative_v<T, session_event>) {
      const session_state* s = find_session(ev.id);
      return s ? s->version : 0;
    } else if constexpr (std::is_same_v<T, user_registered> ||
                         is_alternative_v<T, user_lifecycle_event>) {
      const user_state* u = find(ev.id);
      return u ? u->version : 0;
    } else {
      static_assert(unhandled<T>, "a user event without its aggregate's version");
    }
  });
}

std::string user_aggregate::partition_key_of(const event& e, const tenant_aggregate&) const {
  return visit_as<user_event>(e, [&](const auto& ev) -> std::string {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, session_started>) {
      return ev.user.value;
    } else if constexpr (is_alternative_v<T, session_event>) {
      const session_state* s = find_session(ev.id);
      return s ? s->user.value : ev.id.value;
    } else if constexpr (std::is_same_v<T, user_registered> ||
                         is_alternative_v<T, user_lifecycle_event>) {
      return ev.id.value;
    } else {
      static_assert(unhandled<T>, "a user event without its partition key");
    }
  });
}

namespace {

using events = std::vector<event>;

result<events> decide_register(const user_aggregate& dir, const register_user& c,
                               const decide_context& ctx) {
  if (c.only_if_first && !dir.empty()) return events{};
  if (auto ok = check_email(c.email); !ok) return std::unexpected(ok.error());
  if (code_points(c.name) > 200) return validation("name", "must be at most 200 characters");
  if (c.password_hash.empty()) return validation("password", "must not be empty");
  auto roles = checked_platform_roles(c.platform_roles);
  if (!roles) return std::unexpected(roles.error());
  if (dir.find_by_email(c.email))
    return fail(errc::conflict, "email_taken", "A user with this email exists.");
  return events{user_registered{user_id{ctx.new_id()}, normalize_email(c.email), c.name,
                                c.password_hash, std::move(*roles)}};
}

// A deleted or deactivated user cannot sign in; nor can a login whose password check
// predates a change of the user's credentials.
result<events> decide_start(const user_aggregate& dir, const start_session& c,
                            const decide_context& ctx) {
  const user_state* u = dir.find(c.user);
  if (!u || !u->in_good_standing() || (c.generation && *c.generation != u->auth_generation))
    return fail(errc::unauthenticated, "unauthenticated", "Unknown user.");
  return events{session_started{session_id{ctx.new_id()}, c.user, c.token_hash, c.expires_at}};
}

// Rotation with reuse detection: only the family's current token refreshes; a rotated
// one coming back means it leaked, so the whole family is revoked.
result<events> decide_refresh(const user_aggregate& dir, const refresh_session& c,
                              const decide_context& ctx) {
  const session_state* s = dir.session_by_token(c.presented_hash);
  auto invalid = [] {
    return fail(errc::unauthenticated, "unauthenticated", "The refresh token is not valid.");
  };
  const user_state* u = s ? dir.find(s->user) : nullptr;
  if (!s || s->revoked || !u || !u->in_good_standing()) return invalid();
  if (!same_secret(s->current_hash, c.presented_hash))
    return events{session_revoked{s->id, "reuse_detected"}};
  if (s->expires_at <= ctx.now) return invalid();
  // However often it is refreshed, a family ends `family_lifetime` after its login.
  const timestamp family_end = s->started_at + c.family_lifetime;
  if (family_end <= ctx.now) return invalid();
  return events{session_refreshed{s->id, c.new_hash, std::min(c.expires_at, family_end)}};
}

// A hash made with weaker parameters is replaced by one the login that verified it made;
// nothing when the password changed meanwhile or the user cannot sign in.
result<events> decide_upgrade(const user_aggregate& dir, const upgrade_password_hash& c) {
  const user_state* u = dir.find(c.user);
  if (!u || !u->in_good_standing() || !same_secret(u->password_hash, c.verified_hash) ||
      c.new_hash.empty())
    return events{};
  return events{user_password_rehashed{u->id, c.new_hash}};
}

}  // namespace

result<void> check_email(std::string_view email) {
  if (!plausible_email(email)) return validation("email", "must be an email address");
  return {};
}

result<std::vector<std::string>> checked_platform_roles(const std::vector<std::string>& given) {
  for (const auto& role : given)
    if (!is_platform_role(role)) return validation("platform_roles", "unknown role '" + role + "'");
  std::vector<std::string> roles = given;
  std::ranges::sort(roles);
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

result<std::vector<event>> decide(const user_aggregate& state, const user_account_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, register_user>)
          return decide_register(state, c, ctx);
        else if constexpr (std::is_same_v<T, start_session>)
          return decide_start(state, c, ctx);
        else if constexpr (std::is_same_v<T, refresh_session>)
          return decide_refresh(state, c, ctx);
        else if constexpr (std::is_same_v<T, upgrade_password_hash>)
          return decide_upgrade(state, c);
        else
          static_assert(unhandled<T>, "a user account command without a decision");
      },
      command);
}

}  // namespace tenantry
