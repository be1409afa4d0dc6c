// The user lifecycle's rules: updates, the profile, deactivation and activation, soft
// delete, restore and erasure, password changes. Ending a user's access (deactivation, deletion, a
// new password) also revokes every live refresh-token family it has.

#include <algorithm>
#include <cctype>

#include "commands/users/user_aggregate.hpp"
#include "events/secret_compare.hpp"
#include "events/text_length.hpp"

namespace tenantry {
namespace {

using events = std::vector<event>;

constexpr std::size_t max_name = 200;
constexpr std::size_t max_short_text = 200;
constexpr std::size_t max_bio = 2000;
constexpr std::size_t max_url = 2048;

auto user_not_found(std::string_view ref) {
  return fail(errc::not_found, "not_found", "No user '" + std::string(ref) + "' exists.",
              {{"resource", "user"}});
}

bool is_super_admin(const user_state& u) {
  return std::ranges::find(u.platform_roles, "super_admin") != u.platform_roles.end();
}

// Refuses to take the last super_admin in good standing out of office.
result<void> keep_a_super_admin(const user_aggregate& dir, const user_state& u) {
  if (!u.in_good_standing() || !is_super_admin(u) || dir.active_super_admins() > 1) return {};
  return fail(errc::conflict, "last_super_admin",
              "The platform would have no active super_admin left; make another user "
              "super_admin first.");
}

result<const user_state*> target(const user_aggregate& dir, std::string_view ref,
                                 std::optional<std::int64_t> expected_version,
                                 bool deleted_too = false) {
  const user_state* u = deleted_too ? dir.resolve_any(ref) : dir.resolve(ref);
  if (!u) return user_not_found(ref);
  if (expected_version && *expected_version != u->version)
    return fail(errc::version_conflict, "version_conflict", "The user's version is stale.",
                {{"current_version", u->version}});
  return u;
}

std::unexpected<error> user_is_erased() {
  return fail(errc::conflict, "user_erased", "The user was erased; nothing can bring it back.");
}

// The event that ends the user's access, then one session_revoked per live family.
events ending_access(const user_aggregate& dir, const user_state& u, event first,
                     const std::string& reason, const decide_context& ctx) {
  events out{std::move(first)};
  for (session_id& s : dir.live_sessions(u.id, ctx.now))
    out.push_back(session_revoked{std::move(s), reason});
  return out;
}

// ---- profile fields -------------------------------------------------------------------

bool all_of(std::string_view text, auto allowed) {
  return std::ranges::all_of(text, [&](char c) { return allowed(static_cast<unsigned char>(c)); });
}

// BCP 47 in its common shape: a 2-3 letter language, then subtags of 1-8 letters or digits.
bool plausible_locale(std::string_view v) {
  if (v.size() > 35) return false;
  std::size_t start = 0;
  for (int part = 0;; ++part) {
    const std::size_t dash = v.find('-', start);
    const std::string_view tag = v.substr(start, dash - start);
    const bool ok = part == 0 ? tag.size() >= 2 && tag.size() <= 3 && all_of(tag, ::isalpha)
                              : !tag.empty() && tag.size() <= 8 && all_of(tag, ::isalnum);
    if (!ok) return false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

// An IANA zone name: "UTC", or Area/Location[/...] of letters, digits, '_', '-', '+'.
bool plausible_timezone(std::string_view v) {
  if (v == "UTC") return true;
  if (v.size() > 64 || v.find('/') == std::string_view::npos || v.front() == '/' ||
      v.back() == '/' || v.find("//") != std::string_view::npos || v.find("..") != v.npos)
    return false;
  return std::isupper(static_cast<unsigned char>(v.front())) && all_of(v, [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-' || c == '+' || c == '/';
         });
}

// E.164: '+', then 8 to 15 digits, the first not 0.
bool plausible_phone(std::string_view v) {
  return v.size() >= 9 && v.size() <= 16 && v[0] == '+' && v[1] != '0' &&
         all_of(v.substr(1), ::isdigit);
}

bool plausible_url(std::string_view v) {
  const bool scheme = v.starts_with("https://") || v.starts_with("http://");
  const std::size_t host = v.find("//") + 2;
  return scheme && v.size() <= max_url && host < v.size() && v[host] != '/' &&
         all_of(v, [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// Applies the patch's fields to `p`, checking each one given ("" clears a field).
result<void> apply_profile(const change_user_profile& c, user_profile& p) {
  struct field {
    const char* name;
    const std::optional<std::string>& given;
    std::string& into;
    bool (*valid)(std::string_view);
    const char* rule;
    std::size_t max;
  };
  const field fields[] = {
      {"display_name", c.display_name, p.display_name, nullptr, "", max_short_text},
      {"locale", c.locale, p.locale, plausible_locale, "must be a BCP 47 tag, e.g. en-GB", 35},
      {"timezone", c.timezone, p.timezone, plausible_timezone,
       "must be an IANA time zone, e.g. Europe/Paris", 64},
      {"phone", c.phone, p.phone, plausible_phone, "must be E.164, e.g. +33123456789", 16},
      {"avatar_url", c.avatar_url, p.avatar_url, plausible_url, "must be an http(s) URL", max_url},
      {"job_title", c.job_title, p.job_title, nullptr, "", max_short_text},
      {"bio", c.bio, p.bio, nullptr, "", max_bio},
  };
  for (const field& f : fields) {
    if (!f.given) continue;
    const std::string& v = *f.given;
    if (code_points(v) > f.max)
      return validation(f.name, "must be at most " + std::to_string(f.max) + " characters");
    if (!v.empty() && f.valid && !f.valid(v)) return validation(f.name, f.rule);
    f.into = v;
  }
  return {};
}

// ---- the commands ---------------------------------------------------------------------

result<events> decide_update(const user_aggregate& dir, const update_user& c) {
  // The fields' form first: a malformed change is 400 whatever version it names.
  if (c.email)
    if (auto ok = check_email(*c.email); !ok) return std::unexpected(ok.error());
  if (c.name && code_points(*c.name) > max_name)
    return validation("name", "must be at most 200 characters");
  std::optional<std::vector<std::string>> roles;
  if (c.platform_roles) {
    auto checked = checked_platform_roles(*c.platform_roles);
    if (!checked) return std::unexpected(checked.error());
    roles = std::move(*checked);
  }
  auto found = target(dir, c.ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  const user_state& u = **found;
  user_updated next{u.id, u.email, u.name, u.platform_roles};
  if (c.email) {
    next.email = normalize_email(*c.email);
    const user_state* holder = dir.find_by_email(next.email);
    if (holder && holder->id != u.id)
      return fail(errc::conflict, "email_taken", "A user with this email exists.");
  }
  if (c.name) next.name = *c.name;
  if (roles) {
    next.platform_roles = std::move(*roles);
    if (is_super_admin(u) &&
        std::ranges::find(next.platform_roles, "super_admin") == next.platform_roles.end())
      if (auto ok = keep_a_super_admin(dir, u); !ok) return std::unexpected(ok.error());
  }
  if (next.email == u.email && next.name == u.name && next.platform_roles == u.platform_roles)
    return events{};
  return events{std::move(next)};
}

result<events> decide_profile(const user_aggregate& dir, const change_user_profile& c) {
  auto found = target(dir, c.ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  user_profile profile = (*found)->profile;
  if (auto ok = apply_profile(c, profile); !ok) return std::unexpected(ok.error());
  if (profile == (*found)->profile) return events{};
  return events{user_profile_changed{(*found)->id, std::move(profile)}};
}

result<events> decide_activation(const user_aggregate& dir, const change_user_activation& c,
                                 const decide_context& ctx) {
  auto found = target(dir, c.ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  const user_state& u = **found;
  if (u.active == c.active)
    return fail(errc::conflict, "invalid_state_transition",
                std::string("The user is already ") + (c.active ? "active." : "inactive."),
                {{"is_active", u.active}});
  if (c.active) return events{user_activated{u.id, c.reason}};
  if (auto ok = keep_a_super_admin(dir, u); !ok) return std::unexpected(ok.error());
  return ending_access(dir, u, user_deactivated{u.id, c.reason}, "user_deactivated", ctx);
}

result<events> decide_delete(const user_aggregate& dir, const delete_user& c,
                             const decide_context& ctx) {
  auto found = target(dir, c.ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  if (auto ok = keep_a_super_admin(dir, **found); !ok) return std::unexpected(ok.error());
  return ending_access(dir, **found, user_deleted{(*found)->id}, "user_deleted", ctx);
}

result<events> decide_restore(const user_aggregate& dir, const restore_user& c) {
  auto found = target(dir, c.ref, c.expected_version, /*deleted_too=*/true);
  if (!found) return std::unexpected(found.error());
  if ((*found)->erased) return user_is_erased();
  if (!(*found)->deleted)
    return fail(errc::conflict, "invalid_state_transition", "The user is not deleted.");
  return events{user_restored{(*found)->id}};
}

// Only a soft-deleted user is erased, once: a live user is deleted first, so that erasing
// is always the second of two deliberate steps.
result<events> decide_erase(const user_aggregate& dir, const erase_user& c) {
  auto found = target(dir, c.ref, c.expected_version, /*deleted_too=*/true);
  if (!found) return std::unexpected(found.error());
  if ((*found)->erased) return user_is_erased();
  if (!(*found)->deleted)
    return fail(errc::conflict, "user_not_deleted",
                "Only a deleted user can be erased: delete the user first.");
  return events{user_erased{(*found)->id, (*found)->email}};
}

result<events> decide_password(const user_aggregate& dir, const change_password& c,
                               const decide_context& ctx) {
  auto found = target(dir, c.ref, c.expected_version);
  if (!found) return std::unexpected(found.error());
  const user_state& u = **found;
  if (c.password_hash.empty()) return validation("password", "must not be empty");
  if (c.verified_hash && !same_secret(*c.verified_hash, u.password_hash))
    return fail(errc::conflict, "password_changed_concurrently",
                "The password changed while this request was checked; try again.");
  return ending_access(dir, u, user_password_changed{u.id, c.password_hash}, "password_changed",
                       ctx);
}

}  // namespace

result<std::vector<event>> decide(const user_aggregate& state,
                                  const user_lifecycle_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, update_user>)
          return decide_update(state, c);
        else if constexpr (std::is_same_v<T, change_user_profile>)
          return decide_profile(state, c);
        else if constexpr (std::is_same_v<T, change_user_activation>)
          return decide_activation(state, c, ctx);
        else if constexpr (std::is_same_v<T, delete_user>)
          return decide_delete(state, c, ctx);
        else if constexpr (std::is_same_v<T, restore_user>)
          return decide_restore(state, c);
        else if constexpr (std::is_same_v<T, erase_user>)
          return decide_erase(state, c);
        else if constexpr (std::is_same_v<T, change_password>)
          return decide_password(state, c, ctx);
        else
          static_assert(unhandled<T>, "a user lifecycle command without a decision");
      },
      command);
}

}  // namespace tenantry
